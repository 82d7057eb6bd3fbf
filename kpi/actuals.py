"""Quarterly actuals: validated saves with optimistic concurrency, an append-only audit log, publication.

A save names the version it was based on (0 for a new KPI-quarter). The conditional
``UPDATE … WHERE version = :expected`` is the first statement of its transaction, so on SQLite it takes the
write lock (waiting on ``busy_timeout``) and on PostgreSQL the row lock; a stale version changes no row and
raises :class:`Conflict`. The first save of a KPI-quarter is an INSERT guarded by the unique constraint.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.access import Identity, require
from core.i18n import N_, Message
from core.periods import is_period, parse_period, period_end, sort_key
from kpi.errors import Conflict, ValidationError
from kpi.framework import Kpi, get_kpi
from kpi.schema import actuals, audit, publications

ACTUAL_COLUMNS = ["kpi_id", "quarter", "value", "comment", "evidence_url", "version", "updated_at", "updated_by",
                  "illustrative", "published", "source", "suppressed"]
RWD_SOURCE_PREFIX = "rwd-"  # source ids written by ``python -m rwd compute``


def _now() -> datetime:
    return datetime.now().astimezone()


def _check_quarter(kpi: Kpi, quarter: str) -> str:
    quarter = str(quarter).strip()
    if not is_period(quarter) or parse_period(quarter)[1] is None:
        raise ValidationError("quarter", Message(N_("{quarter} is not a quarter (expected e.g. 2025Q1)"),
                                                 quarter=repr(quarter)))
    if not kpi.in_span(quarter):
        raise ValidationError("quarter", Message(N_("{quarter} is outside the span of KPI {kpi} ({start} to {end})"),
                                                 quarter=quarter, kpi=kpi.id, start=kpi.baseline_date,
                                                 end=kpi.target_date))
    return quarter


def _check_link(evidence_url: str | None) -> str | None:
    link = (evidence_url or "").strip() or None
    if link and not link.lower().startswith(("http://", "https://")):
        raise ValidationError("evidence_url", Message(N_("{link} is not a web link (http:// or https://)"),
                                                      link=repr(link)))
    return link


def current_version(engine: Engine, kpi_id: str, quarter: str) -> int:
    """Version of a KPI-quarter (0 when nothing was saved yet); a save must name it."""
    with engine.connect() as conn:
        row = conn.execute(select(actuals.c.version).where(
            and_(actuals.c.kpi_id == kpi_id, actuals.c.quarter == quarter))).first()
    return int(row[0]) if row else 0


def save_actual(engine: Engine, identity: Identity | None, kpi_id: str, quarter: str, value: object,
                expected_version: int, comment: str = "", evidence_url: str | None = None, reason: str = "",
                illustrative: bool = False) -> int:
    """Save an actual (editors); returns the new version. Raises ValidationError (nothing written) or Conflict."""
    who = require(identity, "editor")
    kpi = get_kpi(engine, kpi_id)
    quarter = _check_quarter(kpi, quarter)
    number = kpi.check_value(value, "value")
    link = _check_link(evidence_url)
    if expected_version > 0 and not (reason or "").strip():
        raise ValidationError("reason", Message(N_("a reason is required when changing a saved value")))
    new_version = expected_version + 1
    now = _now()
    values = {"value": number, "comment": comment or None, "evidence_url": link, "version": new_version,
              "updated_at": now, "updated_by": who.user, "illustrative": illustrative}
    key = and_(actuals.c.kpi_id == kpi_id, actuals.c.quarter == quarter)
    try:
        with engine.begin() as conn:
            old_value = None
            if expected_version == 0:
                conn.execute(insert(actuals).values(kpi_id=kpi_id, quarter=quarter, **values))
            else:
                result = conn.execute(update(actuals).where(key, actuals.c.version == expected_version)
                                      .values(**values))
                if result.rowcount != 1:
                    raise _StaleVersion
                # the audit entry of the version this save replaced holds the value it replaced
                old_value = conn.execute(select(audit.c.new_value).where(
                    audit.c.kpi_id == kpi_id, audit.c.quarter == quarter, audit.c.version == expected_version,
                    audit.c.action.in_(("create", "update")))).scalar_one_or_none()
            conn.execute(insert(audit).values(
                at=now, user=who.user, action="create" if expected_version == 0 else "update", kpi_id=kpi_id,
                quarter=quarter, version=new_version, old_value=old_value, new_value=number,
                comment=comment or None, evidence_url=link, reason=reason or None))
    except (_StaleVersion, IntegrityError):
        raise Conflict(kpi_id, quarter, expected_version, current_version(engine, kpi_id, quarter)) from None
    return new_version


class _StaleVersion(Exception):
    pass


def publish_quarter(engine: Engine, identity: Identity | None, quarter: str) -> None:
    """Make a quarter's actuals public (admins). Publishing twice is a no-op."""
    who = require(identity, "admin")
    if not is_period(quarter) or parse_period(quarter)[1] is None:
        raise ValidationError("quarter", Message(N_("{quarter} is not a quarter (expected e.g. 2025Q1)"),
                                                 quarter=repr(quarter)))
    if quarter in published_quarters(engine):
        return
    now = _now()
    with engine.begin() as conn:
        conn.execute(insert(publications).values(quarter=quarter, published_at=now, published_by=who.user))
        conn.execute(insert(audit).values(at=now, user=who.user, action="publish", quarter=quarter,
                                          reason=f"published {quarter}"))


def published_quarters(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted((r[0] for r in conn.execute(select(publications.c.quarter))), key=sort_key)


def stored_actuals(engine: Engine, kpi_id: str | None = None, published_only: bool = False) -> pd.DataFrame:
    """Actuals entered in the KPI module, with whether their quarter is published. ``published_only`` (the public
    instance): published quarters only, without the internal comment, evidence link and editor (issue 21)."""
    stmt = select(actuals).order_by(actuals.c.kpi_id, actuals.c.quarter)
    if kpi_id is not None:
        stmt = stmt.where(actuals.c.kpi_id == kpi_id)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in actuals.c])
    published = set(published_quarters(engine))
    df["published"] = df["quarter"].isin(published)
    df["source"] = "entered"
    df["suppressed"] = False
    if published_only:  # the public instance: published quarters, and no editor's comment, link or name
        df = df[df["published"]].assign(comment=None, evidence_url=None, updated_by=None)
    return df[ACTUAL_COLUMNS].reset_index(drop=True)


def _provenance(indicator_id: str, obs: pd.Series) -> str:
    """``indicator <id>``, with the observation's source title when the read model joined it."""
    title = obs.get("source_title")
    return f"indicator {indicator_id}" + (f" ({title})" if isinstance(title, str) and title else "")


def linked_actuals(kpi: Kpi, observations: pd.DataFrame) -> pd.DataFrame:
    """Actuals of a KPI linked to a catalogue indicator: its national observations within the KPI's span.

    An annual value counts for the fourth quarter of its year. These are already public data, so they count as
    published; their illustrative flag is the observation's ``synthetic`` flag.
    """
    obs = observations[(observations["indicator_id"] == kpi.indicator_id) & (observations["region"] == "KZ")]
    rows = []
    for _idx, o in obs.iterrows():
        year, q = parse_period(o["period"])
        quarter = f"{year}Q{q or 4}"
        if kpi.in_span(quarter):
            rwd = str(o.get("source_id") or "").startswith(RWD_SOURCE_PREFIX)
            rows.append({"kpi_id": kpi.id, "quarter": quarter, "value": float(o["value"]),
                         "comment": o.get("note"), "evidence_url": None, "version": 0,
                         "updated_at": pd.Timestamp(o["retrieved_at"]) if pd.notna(o.get("retrieved_at")) else pd.NaT,
                         "updated_by": "RWD run" if rwd else "observation store",
                         "illustrative": bool(o["synthetic"]), "published": True,
                         "source": _provenance(kpi.indicator_id, o),
                         "suppressed": bool(o.get("suppressed", False)) or pd.isna(o["value"])})
    df = pd.DataFrame(rows, columns=ACTUAL_COLUMNS)
    return df.sort_values("quarter", key=lambda s: s.map(sort_key)).reset_index(drop=True)


def actuals_for(engine: Engine, kpi: Kpi, observations: pd.DataFrame | None = None,
                published_only: bool = False) -> pd.DataFrame:
    """The actuals that count for a KPI: its linked indicator's data if it has one, else entered values."""
    if kpi.indicator_id and observations is not None:
        linked = linked_actuals(kpi, observations)
        if not linked.empty:
            return linked
    df = stored_actuals(engine, kpi.id, published_only)
    return df.sort_values("quarter", key=lambda s: s.map(sort_key)).reset_index(drop=True)


def replaced_entries(engine: Engine, kpi: Kpi, acts: pd.DataFrame, published_only: bool = False) -> pd.DataFrame:
    """Entered actuals that computed or linked actuals (``acts``, from :func:`actuals_for`) replace: one row per
    entered quarter with its entered value, the value that counts now, and when and by what it was computed
    (``at``, ``by``). Empty when the entered values count. Pages announce these, never replace silently."""
    columns = ["kpi_id", "quarter", "entered_value", "counted_value", "at", "by"]
    if acts.empty or (acts["source"] == "entered").all():
        return pd.DataFrame(columns=columns)
    entered = stored_actuals(engine, kpi.id, published_only)
    if entered.empty:
        return pd.DataFrame(columns=columns)
    counted = dict(zip(acts["quarter"], acts["value"].where(~acts["suppressed"].astype(bool)), strict=True))
    when = pd.to_datetime(acts["updated_at"]).max()
    by = "RWD run" if (acts["updated_by"] == "RWD run").any() else "observation store"
    rows = [{"kpi_id": kpi.id, "quarter": q, "entered_value": v, "counted_value": counted.get(q), "at": when,
             "by": by} for q, v in zip(entered["quarter"], entered["value"], strict=True)]
    return pd.DataFrame(rows, columns=columns)


def audit_trail(engine: Engine, kpi_id: str | None = None, public: bool = False) -> pd.DataFrame:
    """Every change, newest first. ``public=True`` (the public instance) keeps only changes to published
    quarters and drops who made them and why (a reason is an editor's internal free text)."""
    stmt = select(audit).order_by(audit.c.id.desc())
    if kpi_id is not None:
        stmt = stmt.where(audit.c.kpi_id == kpi_id)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in audit.c])
    if public:
        df = df[df["quarter"].isin(published_quarters(engine))].drop(columns=["user", "reason"]).reset_index(drop=True)
    return df


def quarter_end_dates(quarters: pd.Series) -> pd.Series:
    return quarters.map(period_end)
