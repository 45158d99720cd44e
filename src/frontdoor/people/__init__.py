"""The people calls are about and from: the person index, and how a new contact is matched
to it the way a master patient index does (exactly on an NHS number or a full key, else
scored on name, date of birth, postcode and phone for the handler to confirm).

Knows nothing of contacts: the record (interactions/) links its contacts to people here.
"""
