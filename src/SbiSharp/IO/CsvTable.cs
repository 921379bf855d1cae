using System.Globalization;
using System.Text;
using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.IO;

/// <summary>A numeric CSV table with one header row (comma-separated, invariant culture).</summary>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Values, one array per row, each as long as the header.</param>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<double[]> Rows)
{
    /// <summary>Number of columns.</summary>
    public int Columns => Header.Count;

    /// <summary>Reads <paramref name="path"/>; every row must have as many numbers as the header has names.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Empty file, ragged row or a value that is not a number, named by line and column.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: '{path}'.", path);
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new InvalidDataException($"'{path}' is empty; expected a header row.");
        var header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<double[]>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"'{path}' line {lineNumber} has {cells.Length} values; the header has {header.Length} columns.");
            var row = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]))
                    throw new InvalidDataException($"'{path}' line {lineNumber}, column {c + 1} ('{header[c]}'): '{cells[c]}' is not a number.");
            rows.Add(row);
        }
        return new CsvTable(header, rows);
    }

    /// <summary>The table as a float32 tensor (rows, columns).</summary>
    public Tensor ToTensor()
    {
        var flat = Rows.SelectMany(r => r).ToArray();
        return tensor(flat, new long[] { Rows.Count, Columns }, dtype: ScalarType.Float32);
    }

    /// <summary>Builds a table from a (N, D) tensor.</summary>
    public static CsvTable FromTensor(Tensor values, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(header);
        if (values.dim() != 2 || values.shape[1] != header.Count)
            throw new ArgumentException($"`values` must have shape (N, {header.Count}) to match the header; got {Check.Shape(values)}.", nameof(values));
        var flat = Tensors.ToDoubles(values);
        var cols = header.Count;
        var rows = Enumerable.Range(0, (int)values.shape[0]).Select(i => flat.AsSpan(i * cols, cols).ToArray()).ToArray();
        return new CsvTable(header, rows);
    }

    /// <summary>Writes the table with values in round-trip precision ("R" for float32 accuracy: G9).</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(string.Join(",", Header));
        var sb = new StringBuilder();
        foreach (var row in Rows)
        {
            sb.Clear();
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0) sb.Append(',');
                sb.Append(row[c].ToString("G9", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(sb);
        }
    }
}
