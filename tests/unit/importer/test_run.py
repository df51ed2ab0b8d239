"""Reading one run directory: a folder whose files can be read but whose listing cannot."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.importer.model import Overrides
from bot.importer.run import import_run_folder
from bot.importer.run_files import DiskRun
from tests.support.paths import SAGELLM_CORPUS

RUN = SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / "Q3_20261202_001"


class Unlistable(DiskRun):
    """A real run folder with the permissions ``chmod a-r`` gives it: files open, listing fails.

    (Root may list any folder, so the tests cannot rely on chmod; the failure is the one
    os.scandir raises for a non-root user.)
    """

    def listing(self) -> tuple[list[str], list[str]]:
        """What os.scandir raises on a folder without read permission."""
        raise PermissionError(13, "Permission denied", self.path)


def test_a_run_folder_that_cannot_be_listed_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    run = tmp_path / RUN.name
    shutil.copytree(RUN, run)
    outcome = import_run_folder(Unlistable(str(run)), Overrides())
    assert outcome.results == []
    assert outcome.errors == [
        f"{run}: cannot list this directory (Permission denied); fix its permissions or leave it out"
    ]


def test_the_same_folder_listed_is_imported(tmp_path: Path) -> None:
    run = tmp_path / RUN.name
    shutil.copytree(RUN, run)
    outcome = import_run_folder(DiskRun(str(run)), Overrides())
    assert [result.workload for result in outcome.results] == ["Q3"]
