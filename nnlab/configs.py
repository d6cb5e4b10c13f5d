"""Models as plain data: the `get_config` / `from_config` pair of `MLP`
(`config_of(model)` and `from_config(MLP, config)` here).

A config is a dict of names and numbers (JSON-ready): the architecture and the compile settings,
not the weights. Names can only be looked up again for nnlab's own activations, losses,
optimizers and metrics, so a model using a custom one has no config (and cannot be saved).
"""

from . import activations, losses, optimizers
from . import metrics as metric_functions

__all__ = ["config_of", "from_config", "KEYS"]

#: The keys of a config; only 'layer_sizes' is required by `build`.
KEYS = ("layer_sizes", "activation", "output_activation", "l1", "l2", "loss", "optimizer",
        "metrics")


def _check_known(known, what, name):
    if not known:
        raise ValueError(
            f"the {what} {name!r} is a custom object: a config (and a saved file) can only name "
            f"nnlab's own, so MLP.from_config and load_model could not restore it"
        )


def config_of(model):
    """The config of `model` (see `MLP.get_config`)."""
    for what, act in (("activation", model.activation),
                      ("output_activation", model.output_activation)):
        _check_known(activations.ACTIVATIONS.get(act.name) is act, what, act.name)
    config = {"layer_sizes": list(model.layer_sizes), "activation": model.activation.name,
              "output_activation": model.output_activation.name, "l1": model.l1, "l2": model.l2,
              "loss": None, "optimizer": None, "metrics": []}
    if model.loss is not None:
        _check_known(losses.LOSSES.get(model.loss.name) is model.loss, "loss", model.loss.name)
        config["loss"] = model.loss.name
    if model.optimizer is not None:
        name = model.optimizer.name
        _check_known(type(model.optimizer) is optimizers.OPTIMIZERS.get(name), "optimizer",
                     type(model.optimizer).__name__)
        config["optimizer"] = {"name": name, "config": model.optimizer.get_config()}
    for name, function in model.metrics:
        _check_known(metric_functions.METRICS.get(name) is function, "metric", name)
        config["metrics"].append(name)
    return config


def from_config(cls, config, seed=None):
    """A new `cls` (MLP) model from `config` (see `MLP.from_config`)."""
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict from MLP.get_config(), but got {config!r}")
    keys = set(KEYS)
    if set(config) - keys - {"format"} or not {"layer_sizes"} <= set(config):
        raise ValueError(f"config must have the keys {sorted(keys)} (only 'layer_sizes' is "
                         f"required), but got {sorted(config)}")
    model = cls(config["layer_sizes"], config.get("activation", "tanh"),
                config.get("output_activation", "sigmoid"), l1=config.get("l1", 0.0),
                l2=config.get("l2", 0.0), seed=seed)
    if config.get("loss"):
        opt = config.get("optimizer") or {"name": "adam", "config": {}}
        if not isinstance(opt, dict) or set(opt) != {"name", "config"}:
            raise ValueError("config['optimizer'] must be {'name': ..., 'config': {...}}, "
                             f"but got {opt!r}")
        model.compile(loss=config["loss"],
                      optimizer=optimizers.get(opt["name"], **opt["config"]),
                      metrics=list(config.get("metrics", ())))
    return model
