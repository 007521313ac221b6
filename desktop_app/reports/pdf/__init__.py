"""PDF documents and report tables in the layout of Nghị định 30/2020/NĐ-CP (reportlab, no Qt)."""
