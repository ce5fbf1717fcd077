"""Settings never stop the app: a malformed file or value falls back to defaults and says what was wrong."""

from __future__ import annotations

from karnama import settings
from tests.apptest_helpers import run_app


def test_defaults_without_a_file(tmp_path):
    s = settings.load(tmp_path)
    assert s.session_idle_minutes == 30 and s.open_viewing is None and s.problems == ()


def test_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('open_viewing = false\nupload_max_mb = 5\nboundary_geojson = "/x.geojson"')
    monkeypatch.setenv("KARNAMA_UPLOAD_MAX_MB", "7")
    s = settings.load(tmp_path)
    assert (s.open_viewing, s.upload_max_mb, s.boundary_geojson, s.problems) == (False, 7, "/x.geojson", ())


def test_malformed_file_and_values_fall_back_with_messages(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text("open_viewing = [broken")
    s = settings.load(tmp_path)
    assert s.open_viewing is None and len(s.problems) == 1 and "خوانا نیست" in s.problems[0]
    (tmp_path / "settings.toml").write_text('session_idle_minutes = "abc"\nupload_max_mb = -3\nopen_viewing = "maybe"')
    monkeypatch.setenv("KARNAMA_LOGIN_MAX_FAILURES", "many")
    s = settings.load(tmp_path)
    assert (s.session_idle_minutes, s.upload_max_mb, s.login_max_failures, s.open_viewing) == (30, 20, 5, None)
    assert len(s.problems) == 4 and all("معتبر نیست" in p for p in s.problems)


def test_page_shows_settings_problem_and_still_renders(app_env):
    (app_env / "settings.toml").write_text("session_idle_minutes = [")
    try:
        at = run_app("overview", query={"year": "1402"})
        assert not at.exception
        assert any("تنظیمات" in w.value for w in at.warning)
        assert at.metric
    finally:
        (app_env / "settings.toml").unlink()
