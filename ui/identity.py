"""Who is using the app: the identity the log-in flow puts in ``st.session_state["identity"]``.

The log-in and roles UI (another module) stores a :class:`core.access.Identity` there. Whatever it says, the
identity acts in the instance's mode, so in the public instance nobody can write.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.access import Identity
from ui.context import settings


def current_identity() -> Identity | None:
    """The signed-in user acting in this instance's mode, or None when nobody is signed in."""
    identity = st.session_state.get("identity")
    if not isinstance(identity, Identity):
        return None
    return replace(identity, mode=settings().mode)


def editor_identity() -> Identity | None:
    """The signed-in user if they may change stored data here (an editor or admin, internal instance)."""
    identity = current_identity()
    if identity is None or identity.mode == "public" or not identity.has("editor"):
        return None
    return identity
