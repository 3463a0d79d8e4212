"""moto's own server (moto.server.main, the `moto_server` entry point), with two changes that only
affect speed (docs/performance.md, "Moto servers"):

- a KMS key's private key is generated when first used instead of at CreateKey;
- the list of moto's service packages is read from disk once instead of on every request.

moto 5.2.5 generates an RSA-2048 private key for every key it creates, symmetric ones included
(moto/kms/models.py, Key.__init__), though only Sign, Verify and GetPublicKey ever read it: about
57 ms of CPU per CreateKey, 14% of a sandbox seed's server time (docs/performance.md). Deferring it
changes no response.

moto 5.2.5 also lists its own package directory (os.listdir plus an isdir per entry, ~200 entries)
for every request it routes (moto_server/werkzeug_app.py, get_backend_for_host): 11% of a seed's
server time. The installed package does not change while the server runs, so the list is kept.

When the pinned moto no longer has the shape these rely on, the server runs unchanged and says so
on stderr.
"""

import sys

from moto.server import main


def _defer_private_keys() -> None:
    import moto.kms.models as models

    generate = getattr(models, "generate_private_key", None)
    if generate is None or not isinstance(getattr(models, "Key", None), type):
        print("orgwarden: moto.kms.models changed; KMS private keys are generated eagerly", file=sys.stderr)
        return

    class Deferred:
        def __init__(self, key_spec):
            self.key_spec = key_spec

    def private_key_get(self):
        value = self.__dict__.get("_orgwarden_private_key")
        if isinstance(value, Deferred):
            value = generate(value.key_spec)
            self.__dict__["_orgwarden_private_key"] = value
        return value

    def private_key_set(self, value):
        self.__dict__["_orgwarden_private_key"] = value

    models.generate_private_key = Deferred
    models.Key.private_key = property(private_key_get, private_key_set)


def _keep_module_list() -> None:
    import moto.backends as backends

    listed = getattr(backends, "list_of_moto_modules", None)
    if listed is None:
        print("orgwarden: moto.backends changed; its module list is read per request", file=sys.stderr)
        return
    modules = tuple(listed())
    backends.list_of_moto_modules = lambda: modules


if __name__ == "__main__":
    _defer_private_keys()
    _keep_module_list()
    sys.argv[0] = "moto_server"
    sys.exit(main())
