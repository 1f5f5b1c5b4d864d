"""The README's nginx site in front of two dashboard replicas on one lake, on loopback: pages and
Streamlit's WebSocket pass through the proxy."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request

import pytest
from conftest import PROJECT_ROOT
from websockets.sync.client import connect as websocket

from bench.browser import free_port, start_app, stop_app
from store.db import connect

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def readme_site(replicas: list[int], listen: int) -> str:
    """The nginx site of README.md "Running for a whole company", on these ports."""
    block = re.search(r"^ *upstream feedback \{.*?^ *\}\n *server \{.*?^ {6}\}$", README, re.M | re.S).group(0)
    servers = "".join(f"server 127.0.0.1:{port};\n" for port in replicas)
    block = re.sub(r"(?:server 127\.0\.0\.1:\d+;\s*)+", servers, block)
    return block.replace("listen 80;", f"listen 127.0.0.1:{listen};")


def test_two_replicas_behind_the_readmes_nginx_site(postgres_cluster, tmp_path, monkeypatch):
    assert os.path.exists(NGINX), "nginx is missing: apt-get install nginx-light (`make lake` does it)"
    monkeypatch.setenv("FEEDBACK_LAKE_DATA", str(tmp_path / "lake-data"))
    url = postgres_cluster.lake_url()
    connect(url).close()
    ports, listen = [free_port(), free_port()], free_port()
    folder = tmp_path / "nginx"
    folder.mkdir()
    folder.chmod(0o777)
    (folder / "nginx.conf").write_text(
        f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\nclient_body_temp_path {folder}/body;\nproxy_temp_path {folder}/proxy;\n"
        f"{readme_site(ports, listen)}\n}}\n", encoding="utf-8")
    replicas = [start_app(url, port, timeout=600) for port in ports]
    proxy = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=5) as answer:
                    assert answer.read() == b"ok"
                break
            except OSError:
                assert proxy.poll() is None, proxy.stderr.read()
                assert time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{listen}/", timeout=30) as answer:
            assert b"<div id=\"root\"></div>" in answer.read()  # Streamlit's page, drawn by its WebSocket
        with websocket(f"ws://127.0.0.1:{listen}/_stcore/stream", open_timeout=30) as stream:
            assert stream.response.status_code == 101
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        for replica in replicas:
            stop_app(replica)
