"""Output files written whole or not at all keep the permissions a file written in place would have."""

from gtcode.text import files
from gtcode.text.files import atomic_text


def test_a_new_file_gets_the_umasks_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    atomic_text(tmp_path / "导出.md", "# 备忘录\n")
    assert (tmp_path / "导出.md").stat().st_mode & 0o777 == 0o666 & ~files._UMASK  # not the temporary file's 0600
    existing = tmp_path / "codebook.csv"
    existing.write_text("old\n", encoding="utf-8")
    existing.chmod(0o604)
    atomic_text(existing, "new\n")
    assert existing.read_text(encoding="utf-8") == "new\n" and existing.stat().st_mode & 0o777 == 0o604


def test_a_project_config_holding_a_server_password_is_readable_by_its_owner_only(tmp_path):
    from gtcode.services.project import CONFIG_NAME, _write_config

    _write_config(tmp_path, "postgresql+psycopg://coder:s3cret@db.example/study")
    assert (tmp_path / CONFIG_NAME).stat().st_mode & 0o777 == 0o600
    (tmp_path / "local").mkdir()
    _write_config(tmp_path / "local", None)  # an SQLite project's: nothing to hide
    assert (tmp_path / "local" / CONFIG_NAME).stat().st_mode & 0o777 == 0o666 & ~files._UMASK
