"""Texts of the public views (English is the message id; translated with the app's catalogues). Column names,
verdicts and trend directions reuse the dashboard's own messages."""

from core.i18n import N_

SITE = N_("Densaulyq: healthcare resilience in Kazakhstan")
MAP_DESCRIPTION = N_("{indicator} in the 20 regions of Kazakhstan, {period}: map, table of values, sources and "
                     "licence.")
REGION_DESCRIPTION = N_("{region}: every health indicator beside the national value, with comparison, trend, rank "
                        "and sources.")
INDICATOR_DESCRIPTION = N_("{indicator}: the regions ranked for {period} and the national trend, with sources.")
INDICATOR_TITLE = N_("{indicator}: regions and national trend")
MAP_SUMMARY = N_("Highest: {high_region} ({high}); lowest: {low_region} ({low}); Kazakhstan: {national}.")
NO_SUMMARY = N_("No region has a value for this period.")
SPARK_ALT = N_("{indicator} in {region}, {first_period} to {last_period}: from {first} to {last}.")
TREND_ALT = N_("{indicator} in Kazakhstan, {first_period} to {last_period}: highest {high} ({high_period}), "
               "lowest {low} ({low_period}), latest {last}.")
THE_NUMBERS = N_("The numbers")
LEGEND = N_("Map legend")
REGIONS_TABLE_HELP = N_("Each region's name opens its profile.")
NATIONAL_TREND = N_("National trend")
RANKING = N_("Regions ranked, {period}")
RANKING_HELP = N_("Rank 1 is the best value (for indicators with no better direction, the highest).")
PROFILE_HELP = N_("The latest value of every indicator for the region, the national value for the same period, "
                  "the comparison with Kazakhstan, the recent trend and the rank among the regions reporting.")
SOURCES_LICENCE = N_("Sources and licence")
DOWNLOADS = N_("Downloads")
CSV_DOWNLOAD = N_("Data of this view (CSV)")
API_LINK = N_("The same data from the read API (JSON)")
EXPLORE = N_("Explore in the dashboard")
RANKING_LINK = N_("Ranking and national trend")
MAP_LINK = N_("Map of the regions")
LANGUAGE = N_("Language")
ILLUSTRATIVE_CELL = N_("Illustrative")
ILLUSTRATIVE_VALUE = N_("Illustrative value, not official statistics")
PERIOD = N_("Period {period}")
AS_OF = N_("Data as of {date}")
INTERACTIVE_MAP = N_("Interactive map (zoom, values on hover)")
NOT_FOUND = N_("Page not found")
BAD_REQUEST = N_("This address is not valid")
ERROR_HELP = N_("What is wrong:")
HOME = N_("Open the dashboard")
SUPPRESSED_CELL = N_("Suppressed (small numbers)")  # the dashboard's words for a suppressed value
