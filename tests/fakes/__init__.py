"""Fake platform servers the real SDKs talk to over localhost (named ``Fake<Thing>``)."""
