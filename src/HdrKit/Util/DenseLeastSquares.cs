namespace HdrKit.Util;

/// <summary>
/// Least squares min ‖A x − b‖ for small dense overdetermined systems, by Householder QR. QR rather than the
/// normal equations because Debevec–Malik systems mix data rows (weights up to 128) with smoothness rows
/// (λ·w), and squaring their condition number costs digits that float32 tools visibly lose.
/// </summary>
internal static class DenseLeastSquares
{
    /// <summary>Solves for x; <paramref name="a"/> is row-major rows×cols and is overwritten.</summary>
    public static double[] Solve(double[] a, double[] b, int rows, int cols)
    {
        if (a.Length != rows * cols) throw new ArgumentException($"matrix holds {a.Length} values, expected {rows}x{cols}", nameof(a));
        if (b.Length != rows) throw new ArgumentException($"right-hand side has {b.Length} rows, expected {rows}", nameof(b));
        if (rows < cols) throw new ArgumentException($"system is underdetermined ({rows} equations, {cols} unknowns)", nameof(rows));
        var rhs = (double[])b.Clone();
        var v = new double[rows];
        for (int k = 0; k < cols; k++)
        {
            double norm = 0;
            for (int i = k; i < rows; i++) norm += a[i * cols + k] * a[i * cols + k];
            norm = Math.Sqrt(norm);
            if (norm == 0) throw new ArgumentException($"system is rank deficient at unknown {k}", nameof(a));
            double akk = a[k * cols + k];
            double alpha = akk > 0 ? -norm : norm;
            // v = x − α e1, normalised; H = I − 2 v vᵀ maps column k onto α e1.
            double vnorm2 = 0;
            for (int i = k; i < rows; i++)
            {
                v[i] = a[i * cols + k] - (i == k ? alpha : 0);
                vnorm2 += v[i] * v[i];
            }
            if (vnorm2 == 0) continue;
            for (int j = k; j < cols; j++)
            {
                double dot = 0;
                for (int i = k; i < rows; i++) dot += v[i] * a[i * cols + j];
                double f = 2 * dot / vnorm2;
                for (int i = k; i < rows; i++) a[i * cols + j] -= f * v[i];
            }
            double d = 0;
            for (int i = k; i < rows; i++) d += v[i] * rhs[i];
            double g = 2 * d / vnorm2;
            for (int i = k; i < rows; i++) rhs[i] -= g * v[i];
        }
        var x = new double[cols];
        for (int k = cols - 1; k >= 0; k--)
        {
            double s = rhs[k];
            for (int j = k + 1; j < cols; j++) s -= a[k * cols + j] * x[j];
            double diag = a[k * cols + k];
            if (Math.Abs(diag) < 1e-12) throw new ArgumentException($"system is rank deficient at unknown {k}", nameof(a));
            x[k] = s / diag;
        }
        return x;
    }
}
