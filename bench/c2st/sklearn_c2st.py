# Cross-check: sbibm's C2ST with scikit-learn on the same samples (development only; the project never needs Python).
# Usage: python3 bench/c2st/sklearn_c2st.py DIR NAME [NAME ...]   (reads DIR/x_NAME.csv and DIR/y_NAME.csv)
# Debian: apt-get install python3-sklearn. Prints one line per pair and writes DIR/sklearn_NAME.json.
import json, sys, time, numpy as np
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.neural_network import MLPClassifier
def c2st(X, Y, seed=1, n_folds=5):
    m, s = X.mean(0), X.std(0, ddof=1)
    X = (X - m) / s; Y = (Y - m) / s
    d = X.shape[1]
    clf = MLPClassifier(activation="relu", hidden_layer_sizes=(10 * d, 10 * d), max_iter=10000, solver="adam", random_state=seed)
    data = np.concatenate((X, Y)); target = np.concatenate((np.zeros(len(X)), np.ones(len(Y))))
    r = cross_validate(clf, data, target, cv=KFold(n_splits=n_folds, shuffle=True, random_state=seed), scoring="accuracy", return_estimator=True)
    return np.mean(r["test_score"]), [e.n_iter_ for e in r["estimator"]], list(np.round(r["test_score"], 3))
folder = sys.argv[1]
for name in sys.argv[2:]:
    X = np.loadtxt(f"{folder}/x_{name}.csv", delimiter=",", dtype=np.float32, ndmin=2)
    Y = np.loadtxt(f"{folder}/y_{name}.csv", delimiter=",", dtype=np.float32, ndmin=2)
    t = time.time(); score, iters, folds = c2st(X, Y)
    seconds = time.time() - t
    print(f"{name}: sklearn C2ST {score:.4f} folds {folds} epochs {iters} in {seconds:.0f}s", flush=True)
    json.dump({"name": name, "c2st": float(score), "folds": [float(v) for v in folds], "epochs": [int(v) for v in iters], "seconds": seconds},
              open(f"{folder}/sklearn_{name}.json", "w"), indent=2)
