"""SAYYES_MEDIA_DIR: recordings on a volume shared by the app servers and workers of several
machines (issue 18)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_recordings_go_to_the_shared_media_directory_when_one_is_set(settings, tmp_path):
    from sayyes.practice.models import recordings_dir

    assert recordings_dir() == settings.DATA_DIR / "recordings"
    settings.SAYYES_MEDIA_DIR = tmp_path / "shared"
    assert recordings_dir() == tmp_path / "shared" / "recordings"


def test_a_relative_media_directory_is_refused_in_one_line(tmp_path):
    from tests.test_cli import assert_one_line_error, sayyes

    result = sayyes(tmp_path, "list", SAYYES_MEDIA_DIR="media")
    assert result.code != 0
    assert_one_line_error(result, "SAYYES_MEDIA_DIR")
