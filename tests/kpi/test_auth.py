"""Local users: argon2 hashes, the password rule, the CLI, and what each role sees and may do."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from auth import UserError, add_user, authenticate, list_users, remove_user
from auth.__main__ import main
from auth.passwords import password_problem
from core.access import ANONYMOUS, SYSTEM, Identity, PermissionDenied
from tests.kpi.test_pages import ROOT, app, open_page  # noqa: F401 - the fixture is reused
from tests.kpi_helpers import EDITOR

GOOD = "correct horse battery"


def test_users_are_stored_as_argon2_hashes_and_authenticate(tmp_path):
    path = tmp_path / "users.json"
    add_user(path, SYSTEM, "erlan", GOOD, "editor")
    stored = json.loads(path.read_text())
    assert stored["erlan"]["hash"].startswith("$argon2") and GOOD not in path.read_text()
    assert authenticate(path, "erlan", GOOD) == Identity("erlan", "editor", "internal")
    assert authenticate(path, "erlan", "wrong") is None and authenticate(path, "nobody", GOOD) is None
    with pytest.raises(UserError, match="role"):
        add_user(path, SYSTEM, "x1", GOOD, "superuser")
    for who in (None, EDITOR, ANONYMOUS):
        with pytest.raises(PermissionDenied):
            add_user(path, who, "mallory", GOOD, "admin")
        with pytest.raises(PermissionDenied):
            remove_user(path, who, "erlan")
    assert list_users(path) == [("erlan", "editor")]


@pytest.mark.parametrize("password", ["12345678", "password", " " * 8, " " * 14, "\t \n" * 5, "abc",
                                      "123456789012", "passwordpassword", "qwertyuiop12", "aaaaaaaaaaaaaaa",
                                      "Password1234"])
def test_short_common_or_blank_passwords_are_refused_for_every_role(tmp_path, password):
    for role in ("viewer", "admin"):
        with pytest.raises(UserError, match="password"):
            add_user(tmp_path / "users.json", SYSTEM, "dana", password, role)
    assert list_users(tmp_path / "users.json") == []


@pytest.mark.parametrize("password", [GOOD, "Kz-health-2026!", "orange river tea lamp"])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password, "dana") is None


def test_a_password_made_of_the_user_name_is_refused():
    assert password_problem("dana.karimova2", "dana.karimova") is not None


def _config(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\nmode = "internal"\n[auth]\nusers_file = "{tmp_path / "u.json"}"\n')
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(config))
    return config


def test_cli_adds_a_user_with_the_password_from_stdin(tmp_path, monkeypatch):
    from datetime import timedelta

    from auth.sessions import session_user, start_session
    from store import make_engine

    _config(tmp_path, monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    assert main(["add-user", "dana", "--role", "admin", "--password-stdin"]) == 0
    assert authenticate(tmp_path / "u.json", "dana", GOOD).role == "admin"
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    token = start_session(engine, "dana", timedelta(hours=1))
    monkeypatch.setattr("sys.stdin", io.StringIO("orange river tea lamp\n"))
    assert main(["add-user", "dana", "--role", "editor", "--password-stdin"]) == 0
    assert session_user(engine, token) is None  # a password reset logs the user out everywhere
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["add-user", "bob", "--password-stdin"]) == 2
    assert list_users(tmp_path / "u.json") == [("dana", "editor")]


def test_cli_works_without_a_terminal_from_the_environment_and_documents_roles_and_rule(tmp_path, monkeypatch):
    config = _config(tmp_path, monkeypatch)
    env = {"PATH": "/usr/bin:/bin", "DENSAULYQ_CONFIG": str(config), "DENSAULYQ_PASSWORD": GOOD,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}"}
    done = subprocess.run([sys.executable, "-m", "auth", "add-user", "erlan", "--role", "editor"], cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert GOOD not in done.stdout + done.stderr
    assert authenticate(tmp_path / "u.json", "erlan", GOOD).role == "editor"

    no_password = {k: v for k, v in env.items() if k != "DENSAULYQ_PASSWORD"}
    done = subprocess.run([sys.executable, "-m", "auth", "add-user", "vera"], cwd=ROOT, env=no_password,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "DENSAULYQ_PASSWORD" in done.stderr  # says how, instead of hanging on a prompt

    helped = subprocess.run([sys.executable, "-m", "auth", "add-user", "--help"], cwd=ROOT, env=no_password,
                            capture_output=True, text=True, timeout=60).stdout
    helped = " ".join(helped.split())  # argparse wraps lines
    assert "admin" in helped and "12 characters" in helped and "--password-stdin" in helped


def test_editor_does_not_see_the_admin_page_and_cannot_open_it(app):  # noqa: F811
    at = open_page(app("internal"), "pages/kpi_entry.py", EDITOR)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/kpi_admin.py")


def test_viewer_sees_no_page_that_writes(app):  # noqa: F811
    at = open_page(app("internal"), "pages/kpi_scorecard.py", Identity("vera", "viewer"))
    for page in ("pages/kpi_entry.py", "pages/kpi_admin.py", "pages/upload.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_with_an_identity_provider_in_secrets_the_log_in_uses_st_login(app):  # noqa: F811
    at = app("internal")
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "densaulyq", "client_secret": "s",
                          "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception and not at.get("form")  # no local password form when OIDC is configured
    assert [b.label for b in at.button] == ["Log in with your organisation account"]
