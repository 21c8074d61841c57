"""Small tables shaped like ``helpers.datastore.history()``'s, shared by the care tests.

Three snapshots of a few services in Perth and Kinross and Fife, graded by hand so that every
count, share and date below can be worked out on paper:

- December 2017: quality themes only. Perth and Kinross has three childminders, a day care and a
  care home (lowest grades very good, adequate, good, very good, weak: 3 of 5 good or better);
  Fife a day care (good). An adult service and a combined evaluation must not count.
- June 2020: one of four graded children's services is on key questions (the change begins).
- May 2026: key questions for all. Perth and Kinross's care home repeats one grade (5, 5, 5);
  Fife's care home does not (4, 5). A new day care in Perth and Kinross is not graded yet.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.datastore.columns import FRAMEWORK_DTYPE, MEASURE_DTYPE
from helpers.datastore.snapshot import GRADE_COLUMNS, SERVICE_COLUMNS
from helpers.grades import GRADES

D1 = pd.Timestamp("2017-12-31")
MID = pd.Timestamp("2020-06-30")
D2 = pd.Timestamp("2026-05-31")
PK, FIFE = "Perth and Kinross", "Fife"
CM, DC, CH = "Child Minding", "Day Care of Children", "Care Home Service"
PRIVATE, LA, VOL = "Private", "Local Authority", "Voluntary or Not for Profit"

# (date, id, care service, sector, client group, council area)
_SERVICES = [
    (D1, "A1", CM, PRIVATE, "Children", PK),
    (D1, "A2", CM, PRIVATE, "Children", PK),
    (D1, "A3", CM, PRIVATE, "Children", PK),
    (D1, "A4", DC, LA, "Children", PK),
    (D1, "A5", CH, VOL, "Children", PK),
    (D1, "B1", DC, PRIVATE, "Children", FIFE),
    (D1, "X1", CH, PRIVATE, "Adults", PK),
    (MID, "A1", CM, PRIVATE, "Children", PK),
    (MID, "A3", CM, PRIVATE, "Children", PK),
    (MID, "A4", DC, LA, "Children", PK),
    (MID, "B1", DC, PRIVATE, "Children", FIFE),
    (D2, "A1", CM, PRIVATE, "Children", PK),
    (D2, "A4", DC, LA, "Children", PK),
    (D2, "A5", CH, VOL, "Children", PK),
    (D2, "A6", DC, PRIVATE, "Children", PK),
    (D2, "B1", DC, PRIVATE, "Children", FIFE),
    (D2, "B2", CH, LA, "Children", FIFE),
    (D2, "X1", CH, PRIVATE, "Adults", PK),
]
QT, KQ = "quality theme", "key question"
# (date, id, framework, [grades 1-6])
_GRADES = [
    (D1, "A1", QT, [5, 5]),
    (D1, "A1", "combined evaluation", [1]),  # restates other grades: left out
    (D1, "A2", QT, [4, 3]),
    (D1, "A3", QT, [4]),
    (D1, "A4", QT, [6, 5]),
    (D1, "A5", QT, [2, 4]),
    (D1, "B1", QT, [4, 4]),
    (D1, "X1", QT, [1]),  # an adult service: not counted
    (MID, "A1", QT, [4]),
    (MID, "A3", QT, [4]),
    (MID, "A4", QT, [5]),
    (MID, "B1", KQ, [4, 4]),
    (D2, "A1", KQ, [5, 5]),
    (D2, "A4", KQ, [4, 4]),
    (D2, "A5", KQ, [5, 5, 5]),
    (D2, "B1", KQ, [3, 4]),
    (D2, "B2", KQ, [4, 5]),
]
_MEASURES = {
    QT: ["care and support", "environment", "staffing"],
    KQ: ["wellbeing", "setting", "staff team"],
    "combined evaluation": ["wellbeing"],
}


def make_services() -> pd.DataFrame:
    frame = pd.DataFrame(
        _SERVICES,
        columns=["snapshot_date", "service_id", "care_service", "sector", "client_group", "area"],
    ).rename(columns={"area": "council_area"})
    frame["snapshot_date"] = frame["snapshot_date"].astype("datetime64[ms]")
    frame["service_name"] = "Service " + frame["service_id"]
    frame["subtype"] = pd.NA
    frame["status"] = "Active"
    frame["registered_places"] = pd.array([10] * len(frame), dtype="Int32")
    frame["latest_grading_date"] = pd.NaT
    frame["provider_number"] = "SP" + frame["service_id"]
    frame["provider_name"] = "Provider " + frame["service_id"]
    for col in ("service_id", "care_service", "sector", "client_group", "council_area"):
        frame[col] = frame[col].astype("category")
    return frame[list(SERVICE_COLUMNS)]


def make_grades() -> pd.DataFrame:
    rows = [
        (date, sid, framework, _MEASURES[framework][i], GRADES.categories[grade - 1])
        for date, sid, framework, values in _GRADES
        for i, grade in enumerate(values)
    ]
    frame = pd.DataFrame(rows, columns=list(GRADE_COLUMNS))
    frame["snapshot_date"] = frame["snapshot_date"].astype("datetime64[ms]")
    return frame.astype(
        {
            "service_id": "category",
            "framework": FRAMEWORK_DTYPE,
            "measure": MEASURE_DTYPE,
            "grade": GRADES,
        }
    )


def build_care_data(source, tmp_path_factory):
    """``data/care-services`` built from a folder of snapshots into a temporary folder (with a
    cache of its own): what the care-services and what-changed tests start from."""
    from helpers.datastore import derive

    mp = pytest.MonkeyPatch()
    mp.setenv("HELPERS_BUILD_DIR", str(tmp_path_factory.mktemp("build")))
    try:
        return derive.build(source, tmp_path_factory.mktemp("care") / "care-services")
    finally:
        mp.undo()
