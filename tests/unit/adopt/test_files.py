"""init's plan: which files it writes, the sync workflow only for a config that names a dataset."""

from __future__ import annotations

import pytest

from bot.adopt.files import CONFIG_PATH, SYNC_PATH, WORKFLOW_DIR, WORKFLOWS, plan, sync_configured, template

REF = "acme/leaderboard-bot@0123456789abcdef0123456789abcdef01234567 # v0.1.0"


@pytest.mark.parametrize(
    ("config", "configured"),
    [
        (None, False),  # no config yet: init writes the starter
        (template("leaderboard-bot.yml"), False),  # the starter shows the section commented out
        ("sync:\n  dataset: acme/results\n", True),
        ("rules: {}\nsync:\n  dataset: acme/results\n  revision: v2\n", True),
        ("sync: [unclosed\n", False),  # unreadable: the bot would refuse it too, and sync nothing
        ("sync: {}\n", False),  # no dataset: the bot reports the config error, and syncs nothing
    ],
)
def test_only_a_config_naming_a_dataset_turns_the_sync_on(config: str | None, configured: bool) -> None:
    assert sync_configured(config) is configured


def test_the_plan_holds_the_sync_workflow_only_when_asked() -> None:
    workflows = [f"{WORKFLOW_DIR}/{name}" for name in WORKFLOWS]
    without = [planned.path for planned in plan(REF)]
    assert [path for path in without if path.startswith(WORKFLOW_DIR)] == workflows
    with_sync = [planned.path for planned in plan(REF, sync=True)]
    assert with_sync == [*workflows, SYNC_PATH, *without[len(workflows) :]]
    assert CONFIG_PATH in with_sync
