"""nbgrader's exchange as a JupyterHub service: one store for a class on many nodes.

nbgrader's own exchange is a shared folder: every student writes into it, so a student can
`nbgrader submit --student=OTHER`, and an inbound submission can be read by whoever guesses its
folder's name. On Kubernetes every user's pod runs as the same uid, so a shared folder isolates
nobody at all. This exchange instead keeps every file in a folder that only the service can read,
and asks JupyterHub who is calling (each user's server holds a JupyterHub API token):

- `hub.exchange.service`  the service: a tornado app the hub runs (`python -m ...service`)
- `hub.exchange.client`   nbgrader's exchange classes that talk to it (`configure(c, url)`)
- `hub.exchange.archive`  the zip files both sides send, checked on the way in

Who a caller is comes from their token, never from `--student`; instructors are the members of
one hub group (`formgrade-nnlab` by default).
"""
