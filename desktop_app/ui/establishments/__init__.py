"""The "Cơ sở CNNT" screen: the establishment list and the establishment form."""
