"""pmw_build: a tiny PEP 517 build backend, so that the stand-in's sdists build for real.

It is published by the stand-in as the wheel `pmw-build` (which requires `pmw-build-support`, so
that a backend's own dependencies matter too). pip runs these hooks in the unpacked sdist: the
wheel holds every package directory found there and a .dist-info made from PKG-INFO.
"""

import base64
import hashlib
import os
import zipfile
from email.parser import Parser

import pmw_build_support  # noqa: F401  (the backend's own dependency must be installed too)

ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _metadata():
    with open("PKG-INFO", encoding="utf-8") as f:
        text = f.read()
    fields = Parser().parsestr(text)
    return fields["Name"], fields["Version"], text


def _dist_info(name, version):
    return "%s-%s.dist-info" % (name.replace("-", "_"), version)


def _wheel_text():
    return "Wheel-Version: 1.0\nGenerator: pmw_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name, version, text = _metadata()
    dist_info = os.path.join(metadata_directory, _dist_info(name, version))
    os.makedirs(dist_info, exist_ok=True)
    with open(os.path.join(dist_info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(dist_info, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(_wheel_text())
    return os.path.basename(dist_info)


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (path, digest, len(data))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version, text = _metadata()
    dist_info = _dist_info(name, version)
    files = []
    for top in sorted(os.listdir(".")):
        if os.path.isfile(os.path.join(top, "__init__.py")):
            for root, _, names in sorted(os.walk(top)):
                for file_name in sorted(names):
                    path = os.path.join(root, file_name)
                    with open(path, "rb") as f:
                        files.append((path.replace(os.sep, "/"), f.read()))
    files.append((dist_info + "/METADATA", text.encode()))
    files.append((dist_info + "/WHEEL", _wheel_text().encode()))
    record = "".join(_record_line(p, d) for p, d in files) + dist_info + "/RECORD,,\n"
    files.append((dist_info + "/RECORD", record.encode()))
    wheel_name = "%s-%s-py3-none-any.whl" % (name.replace("-", "_"), version)
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w") as zf:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    raise NotImplementedError("pmw_build only builds wheels from sdists the stand-in made")
