"""KPI administration and entry as an admin and an editor meet them (issue 20, item 5): the password label states
the rule's length, a refused user keeps the name typed, removing a user asks first, an implausible quarterly count
is queried before it is saved, and errors name the KPI by its name in the reader's language."""

from __future__ import annotations

from auth import add_user, list_users, users_file
from auth.passwords import MIN_PASSWORD
from core.access import SYSTEM, Identity
from tests.kpi.test_entry_form import _entry_page
from tests.kpi.test_pages import app  # noqa: F401  (app is a fixture)

ADMIN = Identity("ayla", "admin")


def _admin_page(app):  # noqa: F811
    at = app("internal")
    at.session_state["identity"] = ADMIN
    at.run()
    at.switch_page("pages/kpi_admin.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _users(tmp_path) -> list[str]:
    return [u for u, _role in list_users(tmp_path / "users.json")]


def test_password_label_states_the_rule_and_a_refused_user_keeps_the_name(app, tmp_path):  # noqa: F811
    at = _admin_page(app)
    assert at.text_input(key="admin_user_password").label == f"Password (at least {MIN_PASSWORD} characters)"
    assert MIN_PASSWORD == 12
    at.text_input(key="admin_user_name").input("nurlan")
    at.text_input(key="admin_user_password").input("short")
    at.get("form_submit_button")[0].click()
    at.run()
    assert at.error and "password" in at.error[0].value
    assert at.text_input(key="admin_user_name").value == "nurlan"
    at.text_input(key="admin_user_password").input("orange river tea lamp")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.error and "nurlan" in _users(tmp_path)
    assert any("nurlan saved." in s.value for s in at.success)
    assert at.text_input(key="admin_user_name").value == ""  # cleared once saved


def test_remove_user_asks_before_acting(app, tmp_path):  # noqa: F811
    at = _admin_page(app)
    path = users_file({"users_file": str(tmp_path / "users.json")})
    add_user(path, SYSTEM, "dana", "orange river tea lamp", "editor")
    at.run()
    at.button(key="admin_remove").click()
    at.run()
    assert "dana" in _users(tmp_path)  # nothing happened yet
    assert any("Remove dana?" in w.value for w in at.warning)
    at.button(key="admin_remove_cancel").click()
    at.run()
    assert "dana" in _users(tmp_path) and not at.warning
    at.button(key="admin_remove").click()
    at.run()
    at.button(key="admin_remove_confirm").click()
    at.run()
    assert "dana" not in _users(tmp_path)


def test_an_implausible_quarterly_count_is_queried_then_saved_when_confirmed(app):  # noqa: F811
    at = _entry_page(app, "rwe_studies_completed", "2026Q1")  # target: 12 studies over the whole period
    banner = next(i.value for i in at.info if i.value.startswith("Saved value"))
    at.text_input[0].input("1e3")
    at.text_input[2].input("minutes recount")
    at.get("form_submit_button")[0].click()
    at.run()
    warning = " ".join(w.value for w in at.warning)
    assert "1000 in one quarter is more than the whole period's target of Real-world evidence studies completed" \
        in warning and "rwe_studies_completed" not in warning
    assert next(i.value for i in at.info if i.value.startswith("Saved value")) == banner  # not saved yet
    at.button(key="entry_confirm").click()
    at.run()
    assert "1000" in next(i.value for i in at.info if i.value.startswith("Saved value"))


def test_errors_name_the_kpi_in_the_readers_language(app):  # noqa: F811
    at = _entry_page(app, "rwe_studies_completed", "2026Q1")
    at.text_input[0].input("2.5")
    at.text_input[2].input("typo")
    at.get("form_submit_button")[0].click()
    at.run()
    error = at.error[0].value
    assert "Real-world evidence studies completed" in error and "rwe_studies_completed" not in error
    assert "(studies)" in error and "(count)" not in error
    at.query_params["lang"] = "ru"
    at.run()
    at.text_input[0].input("2.5")  # the form's fields are new widgets under their Russian labels
    at.text_input[2].input("опечатка")
    at.get("form_submit_button")[0].click()
    at.run()
    error = at.error[0].value
    assert "Завершённые исследования на основе реальных данных" in error and "rwe_studies_completed" not in error
