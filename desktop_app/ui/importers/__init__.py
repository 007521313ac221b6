"""The Excel import screen."""
