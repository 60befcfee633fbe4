"""Layout checks using the parametrized folder fixtures."""


def test_folder_file_exists(folder_file, folder_name):
    assert folder_file.is_file()
    assert folder_file.parent.name == folder_name


def test_conftest_location(tests_dir, module_info):
    assert (tests_dir / "conftest.py").is_file()
    assert module_info["file"].parent == tests_dir
