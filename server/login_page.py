"""The HTML of the internal instance's log-in form (served by ``server/login.py``); self-contained, no scripts."""

from __future__ import annotations

from html import escape

from auth.passwords import MIN_PASSWORD
from core.config import LANGUAGES
from core.i18n import translate


class Texts:
    """Translations for one request's language (``texts.t("English")``, collected by ``pybabel extract -k t``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"

    def t(self, msgid: str, **values: object) -> str:
        return translate(msgid, self.lang, **values)


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2731;background:#f3f6f8;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;padding:2rem 2.2rem;border-radius:.6rem;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.6rem;margin:0 0 .4rem}p{line-height:1.45}label{display:block;margin:.9rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.55rem;font-size:1rem;
border:1px solid #9aa7b1;border-radius:.35rem}
button{margin-top:1.2rem;background:#1f6f8b;color:#fff;border:0;border-radius:.35rem;padding:.6rem 1.2rem;
font-size:1rem;cursor:pointer}.error{background:#fdecea;color:#8a1c12;padding:.6rem .8rem;border-radius:.35rem}
.note{color:#4a5863;font-size:.9rem}code{background:#eef2f4;padding:0 .2rem;border-radius:.2rem}
"""


def login_html(texts: Texts, csrf_token: str, next_path: str, user: str = "", error: str = "") -> str:
    """The log-in page; ``error`` is already translated and is shown as plain text."""
    tx = texts
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    account = tx.t("No account yet? Ask an administrator of this instance. They create it on the server with "
                   "{command}; a password has at least {count} characters and is not a common one.",
                   command="@@command@@", count=MIN_PASSWORD)
    account = escape(account).replace("@@command@@", "<code>python -m auth add-user NAME --role editor</code>")
    # Texts outside the f-string: pybabel does not look inside f-string expressions (a "Password" label put there
    # never reached the catalogue and stayed English).
    log_in, user_label, password_label = tx.t("Log in"), tx.t("User name"), tx.t("Password")
    intro = tx.t("This is the internal Densaulyq instance for partners and officials.")
    return f"""<!DOCTYPE html>
<html lang="{tx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(log_in)} · Densaulyq</title><style>{STYLE}</style></head>
<body><main>
<h1>{escape(log_in)}</h1>
<p>{escape(intro)}</p>
{error_html}
<form method="post" action="/auth/login?lang={tx.lang}">
<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="user">{escape(user_label)}</label>
<input type="text" id="user" name="user" value="{escape(user)}" autocomplete="username" required autofocus>
<label for="password">{escape(password_label)}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">{escape(log_in)}</button>
</form>
<p class="note">{account}</p>
</main></body></html>"""
