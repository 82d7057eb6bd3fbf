"""Every use of a private Streamlit or pandas internal, in one place (uvicorn's: ``server/uvicorn_compat.py``, since
``server`` may not import ``ui``).

Each function names the public API it stands in for and why that API does not do.
``tests/project/test_streamlit_compat.py`` checks that every internal used here still exists with the signature used
here, so an upgrade that changes one fails there, by name, rather than as a page that quietly misbehaves. When a
public API covers one, replace it and delete it here.

Checked with Streamlit 1.67 and pandas 3.1. Dropped since: the router's own ``PagesManager.uses_pages_directory =
False`` (``st.navigation`` sets it on every run, publicly; only the server start needs it, see below).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler
from streamlit import config, runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.process_cache import SharedCache

SHARED = "_densaulyq_shared"  # set on a DataFrame or Styler shared by every session (``ui.tables.styled``)
_MARSHALLED = "_densaulyq_marshalled"
_ARROW = "_densaulyq_arrow"


# --- Streamlit: the page manager (multipage apps). -------------------------------------------------------------

def disable_pages_directory_mode() -> None:
    """Turn Streamlit's legacy multipage mode off for this process before any session runs.

    Stands in for: ``st.navigation``, which turns it off too, but only once a script calls it. A ``pages/`` folder
    beside the entry script (the product's layout) otherwise puts a fresh server into the legacy mode, and the first
    session's deep link (``/map``) is matched against file names before the router has run. Internal:
    ``streamlit.runtime.pages_manager.PagesManager.uses_pages_directory``."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def keep_scripts_compiled_while_quiet() -> None:
    """Keep the compiled page scripts when the last session closes, as long as no file watcher runs.

    Streamlit empties its script cache whenever no session is left ("avoid stale cached scripts when all file
    watchers and sessions are disconnected"), so on a quiet server every reader's visit compiled ``dashboard.py`` and
    the page again (~2 ms of a new /map session's server CPU, bench/load.py). With ``server.fileWatcherType = "none"``
    (the production config) nothing can change a script without a restart that Streamlit would notice anyway, so the
    cache is kept; with a watcher (development) it is emptied as before. Call before the runtime starts (at server
    start, where ``dashboard.py`` is imported).

    Stands in for: nothing public (no option keeps the cache). Internal: the class
    ``streamlit.runtime.runtime.ScriptCache`` that ``Runtime.__init__`` instantiates, and its ``clear()``."""
    from streamlit.runtime import runtime as runtime_module
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if runtime_module.ScriptCache is not ScriptCache:
        return  # already replaced

    class ScriptCacheKeptWithoutWatcher(ScriptCache):
        def clear(self) -> None:
            if config.get_option("server.fileWatcherType") != "none":
                super().clear()

    runtime_module.ScriptCache = ScriptCacheKeptWithoutWatcher


def _pages_manager() -> Any:
    ctx = get_script_run_ctx()
    return ctx.pages_manager if ctx is not None else None


def open_default_page_at(url_path: str) -> None:
    """Serve the default page at ``/<url_path>`` (its own name) as well as at ``/``.

    Stands in for: ``st.Page(default=True, url_path=…)``, whose page Streamlit serves only at ``/`` and answers its
    name with "Page not found". Call before ``st.navigation``. Internal: the page manager's
    ``intended_page_name``, ``intended_page_script_hash`` and ``set_script_intent(page_script_hash, page_name)``."""
    manager = _pages_manager()
    if manager is not None and manager.intended_page_name == url_path and not manager.intended_page_script_hash:
        manager.set_script_intent("", "")


def requested_page_name() -> str | None:
    """The page address this run was asked for (``map`` for ``/map``), before ``st.navigation`` resolves it.

    Stands in for: ``st.context.url``, which gives the browser's URL only as of the session's start (not the page a
    later rerun asks for) and nothing under AppTest. Internal: the page manager's ``intended_page_name``."""
    manager = _pages_manager()
    return manager.intended_page_name if manager is not None else None


_PAGE_PROTOTYPES = SharedCache(512)  # bounded: "no such page" entries follow the addresses readers type


def fresh_page(key: Hashable, build: Callable[[], Any]) -> Any:
    """A new ``st.Page`` equal to ``build()``, which runs once per ``key`` and app script in this process: every run
    gets its own shallow copy, without building the page again (building one resolves and checks its file and
    validates its icon: ≈ 0.1 ms, some 30 pages per run).

    Stands in for: ``st.Page(…)`` on every run, which is what the API offers; one ``st.Page`` per process cannot
    serve every session, because ``st.navigation`` marks the page objects of its run (``_can_be_called``).
    Relies on: a page's state being its instance attributes, each of them immutable (title, icon, URL path, the
    page's file ``Path`` or function, flags), so a copy shares nothing a run changes (the test checks it).
    Outside a script run Streamlit builds an incomplete page: such a page is built and never kept."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return build()
    return copy.copy(_PAGE_PROTOTYPES.get((ctx.main_script_path, key), build))


# --- Streamlit: is this a test run? -------------------------------------------------------------------------------

def running_without_browser() -> bool:
    """True in a script run with no Streamlit server behind it (AppTest, or bare ``python page.py``), where no
    browser, and so no cookie, can exist. A real server never qualifies, whether or not a browser is connected.

    Stands in for: nothing public says "AppTest". Streamlit's own AppTest flag is the config option
    ``global.appTest`` (hidden; ``AppTest.run`` patches ``streamlit.config.get_option`` for the run, so it is read
    through that module: ``st.get_option`` is the same function bound before the patch); a run with no runtime at
    all is ``not streamlit.runtime.exists()``. An operator who sets ``global.appTest`` in a server's config would
    let a session's state name its user: it is never set in this repository's config."""
    return bool(config.get_option("global.appTest")) or not runtime.exists()


# --- pandas and Streamlit: styled tables formatted and serialised once per process. -------------------------------

def compute_once(styler: Styler) -> Styler:
    """Make a format-only Styler format its cells once: Streamlit calls ``_compute`` and ``_translate`` on every
    script run, and both are pure for a Styler with display formats and no cell styles. (Streamlit recognises a
    Styler by its exact class, so the methods are replaced on the instance rather than in a subclass.)

    Stands in for: nothing public; ``Styler.to_html`` and ``Styler.export`` neither keep nor reuse the computed
    display values. Internal: pandas ``Styler._compute()`` and ``Styler._translate(sparse_index, sparse_cols, …)``."""
    lock = threading.Lock()
    compute, translate = styler._compute, styler._translate
    memo: dict[tuple, Any] = {}

    def computed_once() -> Styler:
        with lock:
            if "computed" not in memo:
                compute()
                memo["computed"] = True
        return styler

    def translated_once(*args: Any, **kwargs: Any):
        key = (args, tuple(sorted(kwargs.items())))
        with lock:
            if key not in memo:
                memo[key] = translate(*args, **kwargs)
            return memo[key]

    styler._compute = computed_once  # type: ignore[method-assign]
    styler._translate = translated_once  # type: ignore[method-assign]
    styler.__dict__[SHARED] = True  # marshalled once by Streamlit too (install_styler_memo)
    return styler


def mark_shared(df: pd.DataFrame) -> pd.DataFrame:
    """Mark a frame that is never changed and shared by every session: Streamlit serialises it once."""
    df.__dict__[SHARED] = True
    return df


def install_styler_memo() -> bool:
    """Make Streamlit marshal a shared styled table (``compute_once``) once per process: it turns a Styler into
    display strings (every cell to text, then an Arrow table) on every script run, the largest part of a table's
    cost after formatting. The styler part of the message (uuid, styles, display values) is kept on the Styler and
    copied into later messages. Other Stylers are untouched. False when this Streamlit has no such hook (then
    tables cost what they did).

    Stands in for: nothing public; ``st.dataframe``/``st.table`` serialise their data on every run and cache nothing
    (``st.cache_data`` caches what a function returns, not Streamlit's own message). Internal, replaced
    process-wide: ``streamlit.elements.arrow.marshall_styler(proto, styler, default_uuid)`` and
    ``streamlit.dataframe_util.convert_pandas_df_to_arrow_bytes(df, *, downcast_large_types=False)``."""
    try:
        from streamlit.elements import arrow
    except ImportError:
        return False
    real = getattr(arrow, "marshall_styler", None)
    if real is None:
        return False
    if getattr(real, "densaulyq_memo", False):
        return True

    def marshall_once(proto: Any, styler: Any, default_uuid: str) -> None:
        done = styler.__dict__.get(_MARSHALLED)
        if done is not None:
            proto.styler.CopyFrom(done)
            return
        real(proto, styler, default_uuid)
        if styler.__dict__.get(SHARED):
            kept = type(proto.styler)()
            kept.CopyFrom(proto.styler)
            styler.__dict__[_MARSHALLED] = kept

    marshall_once.densaulyq_memo = True  # type: ignore[attr-defined]
    arrow.marshall_styler = marshall_once
    convert = arrow.dataframe_util.convert_pandas_df_to_arrow_bytes
    if not getattr(convert, "densaulyq_memo", False):
        def convert_once(df: pd.DataFrame, **kwargs: Any) -> bytes:
            """The Arrow bytes of a shared table (``mark_shared``), serialised once."""
            if kwargs:  # a component's downcast copy: not what the tables send
                return convert(df, **kwargs)
            done = df.__dict__.get(_ARROW)
            if done is not None:
                return done
            out = convert(df)
            if df.__dict__.get(SHARED):
                df.__dict__[_ARROW] = out
            return out

        convert_once.densaulyq_memo = True  # type: ignore[attr-defined]
        arrow.dataframe_util.convert_pandas_df_to_arrow_bytes = convert_once
    return True
