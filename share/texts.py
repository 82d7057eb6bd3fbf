"""Texts of the embeddable pages (English is the message id; translated with the app's catalogues)."""

from core.i18n import N_

ILLUSTRATIVE = N_("Illustrative data")
ILLUSTRATIVE_HELP = N_("Some values shown here are illustrative: generated series calibrated to the few published "
                       "figures, because no official regional table is available yet. They are flagged in the data "
                       "and in every tooltip; do not cite them as official statistics.")
SUPPRESSED = N_("Some values are hidden to protect privacy: counts below {n} are suppressed, and so is any value that "
                "would reveal one by subtraction from the total.")
SOURCE = N_("Source")
SOURCE_ITEM = N_("{title} (as of {date}; {licence})")
MORE = N_("more")
PERIOD_AS_OF = N_("Period {period} · data as of {date}")
FULL_VIEW = N_("Open the full view on Densaulyq")
TREND_TITLE = N_("{indicator}: {region} and {country}")
MAP_ALT = N_("Map of Kazakhstan's 20 regions coloured by {indicator}, {period}")
