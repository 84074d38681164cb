"""The Hub stage: mapped repos in, `RepoFacts` out.

`client` talks to the Hub (retries, pacing, timeouts); `config` and `parameters` turn
what it returns into comparable facts; `facts` runs the whole fetch for a catalog.
"""
