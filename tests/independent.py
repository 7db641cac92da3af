"""Independent checkers from the npm registry, run with the machine's Node.js: Digital Bazaar's
VC libraries (`tests/vc-verifier/verify.mjs`) and panva's `jose` (`jwks.mjs`).

`npm ci` installs the locked packages (package-lock.json) into tests/vc-verifier/node_modules
once, under a file lock (test workers run at once); Node.js and npm are system packages
(.ci/install-system-packages).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent / "vc-verifier"


def _installed() -> None:
    npm, node = shutil.which("npm"), shutil.which("node")
    assert npm and node, "Node.js and npm are needed: bash .ci/install-system-packages --test"
    lock = FOLDER / "package-lock.json"
    marker = FOLDER / "node_modules" / ".certify-lock"
    with open(FOLDER / ".install-lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if marker.is_file() and marker.read_bytes() == lock.read_bytes():
            return
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=FOLDER, check=True, capture_output=True
        )
        marker.write_bytes(lock.read_bytes())


def run(script: str, document: dict[str, Any]) -> dict[str, Any]:
    """What `script` (in tests/vc-verifier) printed for `document` given on its standard input."""
    _installed()
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, script], cwd=FOLDER, input=json.dumps(document), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer
