namespace SbiSharp.Diagnostics;

/// <summary>Classifier two-sample test result.</summary>
/// <param name="Accuracy">Mean cross-validated test accuracy: 0.5 = indistinguishable, 1 = fully separable.</param>
/// <param name="FoldAccuracies">Test accuracy of each fold.</param>
/// <param name="FoldEpochs">Training epochs each fold's classifier ran before the stopping rule fired.</param>
public sealed record C2stResult(double Accuracy, IReadOnlyList<double> FoldAccuracies, IReadOnlyList<int> FoldEpochs);
