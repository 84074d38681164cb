"""The naive baseline: what a user would write in an afternoon.

For every mapped repo, one after the other: `model_info`, then `hf_hub_download` of
config.json (a HEAD and a GET), and read the layers and context. No listing, no
concurrency, no reuse between runs. Failures are counted, not retried.

    python benchmarks/naive.py MAPPING.yaml ENDPOINT
"""

from __future__ import annotations

import json
import sys
import tempfile

import yaml
from huggingface_hub import HfApi, hf_hub_download


def main(mapping_path: str, endpoint: str) -> None:
    with open(mapping_path, encoding="utf-8") as file:
        mapping = yaml.safe_load(file)
    api = HfApi(endpoint=endpoint, token=False)
    done = failed = 0
    with tempfile.TemporaryDirectory() as cache:
        for entry in mapping.values():
            for repo in entry.get("repos") or []:
                repo_id = repo if isinstance(repo, str) else repo["id"]
                try:
                    info = api.model_info(repo_id)
                    path = hf_hub_download(repo_id, "config.json", revision=info.sha, endpoint=endpoint, cache_dir=cache)
                    with open(path, encoding="utf-8") as file:
                        config = json.load(file)
                    _ = (info.downloads, config.get("num_hidden_layers"), config.get("max_position_embeddings"))
                    done += 1
                except Exception:  # noqa: BLE001 - the baseline counts failures and moves on
                    failed += 1
    print(json.dumps({"done": done, "failed": failed}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
