"""Export a playground run as a plain nnlab script.

The script does, in ordinary nnlab calls, what the session did: draw the same points with the
same seeds, split them, add the hand-placed points, compute the features, build the network
(or set the imported weights), and train it with the same settings, batch by batch and epoch by
epoch, in the same order. Running it gives the same weights and predictions.
"""

import textwrap

from .. import optimizers

__all__ = ["write", "record"]


def record(log, compiles, config, model, n_train, diverged):
    """Append one epoch to the session's `log`: the settings it trained with, runs of equal
    settings merged (a diverged epoch stands alone: `fit` stops at it)."""
    entry = {"compile": compiles, "batch_size": config["batch_size"],
             "optimizer": config["optimizer"], "learning_rate": config["learning_rate"],
             "loss": model.loss.name, "l1": model.l1, "l2": model.l2, "n_train": n_train,
             "diverged": diverged}
    last = log[-1] if log else None
    if last is not None and not diverged and not last["diverged"] and \
            all(last[k] == v for k, v in entry.items()):
        last["epochs"] += 1
    else:
        log.append({**entry, "epochs": 1})


def _array(values):
    """Source text of a float array; repr of a Python float reads back exactly."""
    return f"np.array({values.tolist()!r})"


def _optimizer(label, learning_rate):
    """Source text that builds the optimizer of a menu label (see nnlab.optimizers.MENU)."""
    name, settings = optimizers.MENU[label]
    args = ", ".join([repr(learning_rate)] + [f"{k}={v!r}" for k, v in settings.items()])
    return f"optimizers.{optimizers.OPTIMIZERS[name].__name__}({args})"


def _data(session):
    c = session.config
    seed = c["seed"]
    lines = [f"rng = np.random.default_rng([{seed}, 0, {session.data_draws}])"]
    if c["dataset"] == "csv":
        X, y, _ = session.own_data
        lines += ["# the points loaded from a CSV file",
                  f"X = {_array(X)}", f"y = {_array(y)}"]
    else:
        name = "three_class" if c["dataset"] == "three_class" else c["dataset"]
        lines.append(f"X, y = datasets.{name}(n={c['n_points']}, noise={c['noise']} / 100, "
                     "seed=rng)")
    lines.append(f"X_train, X_test, y_train, y_test = train_test_split(\n"
                 f"    X, y, test_size=(100 - {c['train_ratio']}) / 100, seed=rng)")
    if len(session.added_y):
        lines += ["# points added by hand join the training set",
                  f"X_train = np.concatenate([X_train, {_array(session.added_X)}])",
                  f"y_train = np.concatenate([y_train, {_array(session.added_y)}])"]
    return lines


def _model(session):
    c, model = session.config, session.model
    lines = [f"FEATURES = {session.features!r}",
             "F_train = datasets.features(X_train, FEATURES)",
             "F_test = datasets.features(X_test, FEATURES)",
             f"model = MLP({model.layer_sizes!r}, activation={c['activation']!r},",
             f"            output_activation={session.output_activation!r},",
             f"            seed=np.random.default_rng([{c['seed']}, 1, {session.weight_draws}]))"]
    if session.imported_weights:
        lines.append("model.set_weights([  # the imported weights")
        lines += [f"    {_array(w)}," for w in session.initial_weights]
        lines.append("])")
    lines.append(f"shuffle = np.random.default_rng([{c['seed']}, 2, {session.weight_draws}])")
    return lines


def _training(session):
    metrics = "()" if session.problem == "regression" else "['accuracy']"
    lines, compiled, n_train = [], None, len(session.y_train)
    penalties = (0.0, 0.0)                     # as MLP(...) above starts
    for run in session.log:
        if run["compile"] != compiled:
            compiled = run["compile"]
            lines.append(f"model.compile(loss={run['loss']!r}, "
                         f"optimizer={_optimizer(run['optimizer'], run['learning_rate'])}, "
                         f"metrics={metrics})")
        if (run["l1"], run["l2"]) != penalties:
            penalties = (run["l1"], run["l2"])
            lines.append(f"model.l1, model.l2 = {penalties[0]!r}, {penalties[1]!r}")
        rows = "" if run["n_train"] == n_train else f"[:{run['n_train']}]"
        call = (f"model.fit(F_train{rows}, y_train{rows}, epochs={run['epochs']}, "
                f"batch_size={run['batch_size']}, seed=shuffle)")
        if run["diverged"]:
            lines += ["with warnings.catch_warnings():  # this epoch diverged and was undone",
                      "    warnings.simplefilter('ignore', RuntimeWarning)",
                      f"    {call}"]
        else:
            lines.append(call)
    if not session.log:
        if (session.model.l1, session.model.l2) != penalties:
            lines.append(f"model.l1, model.l2 = {session.model.l1!r}, {session.model.l2!r}")
        lines.append(f"model.compile(loss={session.loss_name!r}, "
                     f"optimizer={_optimizer(session.config['optimizer'], session.config['learning_rate'])}, "  # noqa: E501
                     f"metrics={metrics})")
        lines.append("# not trained yet: add model.fit(...) here")
    return lines


def write(session):
    """The script's text (see the module docstring)."""
    c = session.config
    hidden = session.hidden or "none"
    header = textwrap.dedent(f'''\
        """A playground run rebuilt with nnlab (written by PlaygroundSession.to_python).

        Data: {c["dataset"]}, noise {c["noise"]} %, {c["train_ratio"]} % for training.
        Network: features {", ".join(session.features)}; hidden layers {hidden}, {c["activation"]}.
        Trained {session.epoch} epoch(s). Share code: {session.to_code()}
        """

        import warnings

        import numpy as np

        from nnlab import MLP, datasets, optimizers
        from nnlab.model_selection import train_test_split
        ''')
    footer = ["", "if __name__ == '__main__':",
              "    print('training:', model.evaluate(F_train, y_train))",
              "    print('test:', model.evaluate(F_test, y_test))"]
    body = (["", "# the data"] + _data(session) + ["", "# the features and the network"]
            + _model(session) + ["", "# the training, as the playground did it"]
            + _training(session) + footer)
    return header + "\n".join(body) + "\n"
