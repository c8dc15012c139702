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
