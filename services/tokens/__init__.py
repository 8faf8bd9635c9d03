"""Personal access tokens: the credentials of the JSON API."""
