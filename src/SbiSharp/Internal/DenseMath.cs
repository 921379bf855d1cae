namespace SbiSharp.Internal;

/// <summary>Small dense linear algebra in double precision for parameter set-up (not hot paths).</summary>
internal static class DenseMath
{
    public static double[,] Cholesky(double[,] a, string name)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double sum = a[j, j];
            for (int k = 0; k < j; k++) sum -= l[j, k] * l[j, k];
            if (!(sum > 0) || !double.IsFinite(sum))
                throw new ArgumentException($"`{name}` must be positive definite; the Cholesky pivot at [{j},{j}] is {sum}.", name);
            l[j, j] = Math.Sqrt(sum);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }

    public static double[,] InvertLowerTriangular(double[,] l)
    {
        int n = l.GetLength(0);
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            inv[i, i] = 1 / l[i, i];
            for (int j = 0; j < i; j++)
            {
                double s = 0;
                for (int k = j; k < i; k++) s -= l[i, k] * inv[k, j];
                inv[i, j] = s / l[i, i];
            }
        }
        return inv;
    }

    /// <summary>Returns L Lᵀ.</summary>
    public static double[,] MultiplyTransposed(double[,] l)
    {
        int n = l.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += l[i, k] * l[j, k];
                r[i, j] = s;
            }
        return r;
    }

    public static double[,] InverseSpd(double[,] a, string name)
    {
        if (a.GetLength(0) != a.GetLength(1))
            throw new ArgumentException($"`{name}` must be square; got ({a.GetLength(0)}, {a.GetLength(1)}).", name);
        var inv = InvertLowerTriangular(Cholesky(a, name));
        int n = inv.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += inv[k, i] * inv[k, j];
                r[i, j] = s;
            }
        return r;
    }
}
