"""KPI administration (admins): publish a quarter, load a framework file, manage local users."""

import streamlit as st

from auth import UserError, add_user, list_users, remove_user, users_file
from auth.passwords import MIN_PASSWORD
from core.access import ROLES, PermissionDenied
from core.periods import sort_key
from core.text import plain
from kpi import ValidationError, load_framework_text, publish_quarter, published_quarters, stored_actuals
from ui import t
from ui.context import settings
from ui.identity import current_identity, oidc_configured
from ui.kpi import field_label, kpi_engine
from ui.login import ROLE_NAMES
from ui.streamlit_texts import localize_file_uploader

identity = current_identity()
st.title(t("KPI administration"))
if identity is None or not identity.has("admin") or identity.mode == "public":
    st.warning(t("This page needs the admin role."))
    st.stop()
engine = kpi_engine()

st.header(t("Publish a quarter"))
published = published_quarters(engine)
drafts = sorted(set(stored_actuals(engine)["quarter"]) - set(published), key=sort_key)
st.caption(t("Published: {quarters}", quarters=", ".join(published) or "—"))
if drafts:
    quarter = st.selectbox(t("Draft quarter"), drafts, key="admin_publish_quarter")
    if st.button(t("Publish {quarter}", quarter=quarter), key="admin_publish", type="primary"):
        try:
            publish_quarter(engine, identity, quarter)
            st.success(t("{quarter} is published; the public instance now shows it.", quarter=quarter))
        except PermissionDenied as err:
            st.error(t(err.args[0]) if err.args else str(err))
        except ValidationError as err:
            st.error(t("Not published: {field} — {reason}", field=field_label(err.field), reason=t(err.reason)))
else:
    st.caption(t("No draft quarters."))

st.header(t("Load a KPI framework"))
st.caption(t("A YAML file in the format of data/kpi_framework.yaml. The whole file is checked first; if anything is "
             "wrong nothing changes. Entered actuals are kept."))
upload = st.file_uploader(t("Framework file"), type=["yaml", "yml"], key="admin_framework")
localize_file_uploader("admin_framework", ["yaml", "yml"], upload)
if upload is not None and st.button(t("Replace the framework"), key="admin_load"):
    try:
        n = load_framework_text(engine, identity, upload.getvalue().decode("utf-8"), upload.name)
        st.success(t("Loaded {n} KPIs from {file}.", n=n, file=plain(upload.name)))
    except ValidationError as err:
        st.error(t("Not loaded: {field} — {reason}", field=field_label(err.field), reason=t(err.reason)))
    except UnicodeDecodeError:
        st.error(t("Not loaded: the file is not UTF-8 text."))

st.header(t("Users"))
if oidc_configured():
    st.caption(t("Log-in goes through your identity provider; roles come from [auth.roles] in config.toml."))
path = users_file(settings().section("auth"))
st.dataframe({t("User"): [u for u, _role in list_users(path)],
              t("Role"): [t(ROLE_NAMES.get(r, r)) for _user, r in list_users(path)]}, hide_index=True)
if "admin_users_flash" in st.session_state:  # the outcome of the action that triggered this rerun
    st.success(st.session_state.pop("admin_users_flash"))
# Not cleared on submit: a rejected entry keeps what was typed; a saved one is cleared below.
with st.form("admin_add_user", clear_on_submit=False):
    name = st.text_input(t("User name"), key="admin_user_name")
    role = st.selectbox(t("Role"), ROLES, format_func={r: t(ROLE_NAMES.get(r, r)) for r in ROLES}.get,
                        key="admin_user_role")
    password = st.text_input(t("Password (at least {count} characters)", count=MIN_PASSWORD), type="password",
                             key="admin_user_password")
    if st.form_submit_button(t("Add or update user")):
        try:
            add_user(path, identity, name.strip(), password, role)
        except (UserError, PermissionDenied) as err:
            st.error(t(err.args[0]) if err.args else str(err))
        else:
            st.session_state["admin_users_flash"] = t("{user} saved.", user=plain(name.strip()))
            for key in ("admin_user_name", "admin_user_password"):
                st.session_state.pop(key, None)
            st.rerun()
others = [u for u, _role in list_users(path) if u != identity.user]
if others:
    gone = st.selectbox(t("Remove user"), others, key="admin_remove_user")
    if st.button(t("Remove {user}", user=gone), key="admin_remove"):
        st.session_state["admin_remove_asked"] = gone
    asked = st.session_state.get("admin_remove_asked")
    if asked == gone:  # removing is asked for once more before anything happens
        st.warning(t("Remove {user}? They can no longer log in; their saved values and history stay.", user=gone))
        yes, no = st.columns(2)
        if yes.button(t("Yes, remove {user}", user=gone), key="admin_remove_confirm", type="primary"):
            remove_user(path, identity, gone)
            st.session_state.pop("admin_remove_asked", None)
            st.session_state["admin_users_flash"] = t("{user} removed.", user=gone)
            st.rerun()
        if no.button(t("Cancel"), key="admin_remove_cancel"):
            st.session_state.pop("admin_remove_asked", None)
            st.rerun()
