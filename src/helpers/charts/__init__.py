"""Every chart, one type: a :class:`Chart` ``(fig, alt, table)`` shown with ``.show()``.

:mod:`helpers.charts.style` draws them all alike; :mod:`helpers.charts.joint` holds the charts
of the joint inspections and :mod:`helpers.charts.care` those of registered care services.
"""

from helpers.charts.care import by_type_chart, grade_shares_chart, residential_chart, trend_chart
from helpers.charts.joint import (
    area_against_scotland,
    compare_profiles,
    grade_profile,
    indicator_grid,
    later_rounds,
    scotland_total,
    stacked_distribution,
    theme_bars,
)
from helpers.charts.style import Chart

__all__ = [
    "Chart",
    "area_against_scotland",
    "by_type_chart",
    "compare_profiles",
    "grade_profile",
    "grade_shares_chart",
    "indicator_grid",
    "later_rounds",
    "residential_chart",
    "scotland_total",
    "stacked_distribution",
    "theme_bars",
    "trend_chart",
]
