"""The signed-in user's account and preferences: password, another user's password (administrator), font size."""
