"""How the portal names a person: the same words on every page that says who did something
(who submitted a sheet, who saved or moderated it, who invited a colleague)."""


def person_name(user) -> str:
    """The account's full name, else its e-mail address, else its login; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()
