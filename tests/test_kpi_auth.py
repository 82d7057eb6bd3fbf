"""Local users: argon2 hashes, the CLI, and the admin page (publish a quarter)."""

from __future__ import annotations

import io
import json

import pytest

from auth import UserError, add_user, authenticate, list_users, remove_user
from auth.__main__ import main
from core.access import ANONYMOUS, SYSTEM, Identity, PermissionDenied
from tests.kpi_helpers import EDITOR
from tests.test_kpi_pages import app, open_page  # noqa: F401 - the fixture is reused


def test_users_are_stored_as_argon2_hashes_and_authenticate(tmp_path):
    path = tmp_path / "users.json"
    add_user(path, SYSTEM, "erlan", "s3cret-pass", "editor")
    stored = json.loads(path.read_text())
    assert stored["erlan"]["hash"].startswith("$argon2") and "s3cret-pass" not in path.read_text()
    assert authenticate(path, "erlan", "s3cret-pass") == Identity("erlan", "editor", "internal")
    assert authenticate(path, "erlan", "wrong") is None and authenticate(path, "nobody", "s3cret-pass") is None
    with pytest.raises(UserError, match="password"):
        add_user(path, SYSTEM, "short", "abc", "viewer")
    with pytest.raises(UserError, match="role"):
        add_user(path, SYSTEM, "x1", "long enough", "superuser")
    for who in (None, EDITOR, ANONYMOUS):
        with pytest.raises(PermissionDenied):
            add_user(path, who, "mallory", "long enough", "admin")
        with pytest.raises(PermissionDenied):
            remove_user(path, who, "erlan")
    assert list_users(path) == [("erlan", "editor")]


def test_cli_adds_a_user_with_the_password_from_stdin(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\nmode = "internal"\n[auth]\nusers_file = "{tmp_path / "u.json"}"\n')
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["add-user", "dana", "--role", "admin", "--password-stdin"]) == 0
    assert authenticate(tmp_path / "u.json", "dana", "correct horse battery").role == "admin"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["add-user", "bob", "--password-stdin"]) == 2
    assert list_users(tmp_path / "u.json") == [("dana", "admin")]


def test_admin_publishes_a_draft_quarter_from_the_page(app):  # noqa: F811
    from kpi import published_quarters
    from store import open_store

    at = open_page(app("internal"), "pages/kpi_admin.py", Identity("ayla", "admin"))
    at.selectbox(key="admin_publish_quarter").select("2026Q2")
    at.run()
    at.button(key="admin_publish").click()
    at.run()
    assert not at.exception and any("2026Q2 is published" in s.value for s in at.success)
    import os
    assert "2026Q2" in published_quarters(open_store(os.environ["DATABASE_URL"]))


def test_editor_cannot_use_the_admin_page(app):  # noqa: F811
    at = open_page(app("internal"), "pages/kpi_admin.py", EDITOR)
    assert [b.key for b in at.button] == ["logout"] and not at.get("file_uploader")
    assert any("admin role" in w.value for w in at.warning)


def test_with_an_identity_provider_in_secrets_the_log_in_uses_st_login(app):  # noqa: F811
    at = app("internal")
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "densaulyq", "client_secret": "s",
                          "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception and not at.get("form")  # no local password form when OIDC is configured
    assert [b.label for b in at.button] == ["Log in with your organisation account"]
