"""Nghiệm thu: the acceptance council, verified amounts, outcome figures and sign-off."""
