"""Portal accounts: users with a role, hashed passwords, single-use sign-in links, sessions."""
