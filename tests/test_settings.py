"""Settings never stop the app: a malformed file or value falls back to defaults and says what was wrong; they
fail closed: any problem keeps open viewing off."""

from __future__ import annotations

from karnama.core import settings, texts
from tests.apptest_helpers import run_app
from tests.auth_helpers import PASSWORDS, secured_copy


def test_defaults_without_a_file(tmp_path):
    s = settings.load(tmp_path)
    assert s.session_idle_minutes == 30 and s.open_viewing is False and s.problems == ()


def test_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text('open_viewing = false\nupload_max_mb = 5\nboundary_geojson = "/x.geojson"')
    monkeypatch.setenv("KARNAMA_UPLOAD_MAX_MB", "7")
    s = settings.load(tmp_path)
    assert (s.open_viewing, s.upload_max_mb, s.boundary_geojson, s.problems) == (False, 7, "/x.geojson", ())


def test_malformed_file_and_values_fall_back_with_messages(tmp_path, monkeypatch):
    (tmp_path / "settings.toml").write_text("open_viewing = [broken")
    s = settings.load(tmp_path)
    assert s.open_viewing is False and "خوانا نیست" in s.problems[0]
    assert s.problems[-1] == settings.OPEN_VIEWING_REFUSED
    (tmp_path / "settings.toml").write_text('session_idle_minutes = "abc"\nupload_max_mb = -3\nopen_viewing = "maybe"')
    monkeypatch.setenv("KARNAMA_LOGIN_MAX_FAILURES", "many")
    s = settings.load(tmp_path)
    assert (s.session_idle_minutes, s.upload_max_mb, s.login_max_failures, s.open_viewing) == (30, 20, 5, False)
    assert len(s.problems) == 5 and all("معتبر نیست" in p for p in s.problems[:4])


def test_open_viewing_is_off_unless_explicitly_and_readably_on(tmp_path, monkeypatch):
    file = tmp_path / "settings.toml"
    file.write_text("open_viewing = true\n")
    assert settings.load(tmp_path).open_viewing is True
    # a syntax error anywhere in the file, or a value of the wrong type elsewhere, turns it off
    file.write_text("open_viewing = true\nsession_idle_minutes = [\n")
    assert settings.load(tmp_path).open_viewing is False
    file.write_text('open_viewing = true\nupload_max_mb = "lots"\n')
    assert settings.load(tmp_path).open_viewing is False
    for wrong in ('"nein"', '"yes"', "1", '"true"'):  # in the file a switch is a TOML boolean, nothing else
        file.write_text(f"open_viewing = {wrong}\n")
        s = settings.load(tmp_path)
        assert s.open_viewing is False and settings.OPEN_VIEWING_REFUSED in s.problems, wrong
    file.write_text("open_viewing = true\n")
    monkeypatch.setenv("KARNAMA_OPEN_VIEWING", "nein")
    assert settings.load(tmp_path).open_viewing is False
    monkeypatch.setenv("KARNAMA_OPEN_VIEWING", "false")
    assert settings.load(tmp_path).open_viewing is False
    file.unlink()
    monkeypatch.setenv("KARNAMA_OPEN_VIEWING", "true")
    assert settings.load(tmp_path).open_viewing is True


def test_demo_writes_open_viewing_only_where_no_settings_exist(tmp_path):
    assert settings.write_demo_default(tmp_path) and settings.load(tmp_path).open_viewing is True
    (tmp_path / "settings.toml").write_text("open_viewing = false\n")
    assert not settings.write_demo_default(tmp_path) and settings.load(tmp_path).open_viewing is False


def test_page_shows_settings_problem_and_still_renders(demo_dir, tmp_path, monkeypatch):
    data = secured_copy(demo_dir, tmp_path / "data", names=("admin",), settings="session_idle_minutes = [")
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(data))
    at = run_app("overview", query={"year": "1402"})
    assert not at.exception
    assert any("تنظیمات" in w.value for w in at.warning)
    assert at.title[0].value == texts.LOGIN_TITLE  # failed closed: the login page, not the figures
    at.text_input(key="login_name").input("admin")
    at.text_input(key="login_password").input(PASSWORDS["admin"])
    next(b for b in at.button if b.label == texts.LOGIN_SUBMIT).click()
    at.run()
    assert not at.exception and at.metric
    assert any("تنظیمات" in w.value for w in at.warning)  # and every page still says what was wrong
