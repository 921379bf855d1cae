using System.Globalization;
using System.Text;
using SbiSharp.Internal;
using static TorchSharp.torch;

namespace SbiSharp.IO;

/// <summary>A numeric CSV table with one header row (comma-separated, invariant culture).</summary>
/// <remarks>
/// Reading accepts a UTF-8 byte-order mark, CRLF or LF line ends, blank lines, spaces around cells and RFC 4180 quoted
/// cells (<c>"a,b"</c>, <c>""</c> for a quote). Every value must be a finite number within the float32 range that
/// SbiSharp trains in; anything else is refused with <see cref="InvalidDataException"/> naming the file, the 1-based line
/// and column, the column's name and the cell.
/// </remarks>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Values, one array per row, each as long as the header.</param>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<double[]> Rows)
{
    /// <summary>Number of columns.</summary>
    public int Columns => Header.Count;

    /// <summary>Reads <paramref name="path"/>: a header row of column names, then at least one row of numbers.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Empty file, no header, header only, ragged row, a cell that is not a finite float32 number, or an unterminated quote.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"'{path}' is a folder, not a CSV file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: '{path}'.", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">See <see cref="Read(string)"/>.</exception>
    public static CsvTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? line;
        int lineNumber = 0;
        string[]? header = null;
        while (header is null)
        {
            line = reader.ReadLine();
            lineNumber++;
            if (line is null) throw new InvalidDataException($"'{source}' is empty; expected a header row of column names, then rows of numbers.");
            if (line.Trim().Length == 0) continue;
            header = Split(line, source, lineNumber).Select(h => h.Trim()).ToArray();
            if (header.All(h => double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                throw new InvalidDataException(
                    $"'{source}' line {lineNumber} holds numbers ({Excerpt(line)}), not column names: the first row must be a header (for example theta_1,theta_2).");
            for (int c = 0; c < header.Length; c++)
            {
                if (header[c].Length == 0) throw new InvalidDataException($"'{source}' line {lineNumber}, column {c + 1}: the header has an empty column name.");
                int first = Array.IndexOf(header, header[c]);
                if (first != c) throw new InvalidDataException($"'{source}' line {lineNumber}: the column name '{header[c]}' appears twice (columns {first + 1} and {c + 1}).");
            }
        }
        var rows = new List<double[]>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var cells = Split(line, source, lineNumber);
            if (cells.Count != header.Length)
                throw new InvalidDataException($"'{source}' line {lineNumber} has {cells.Count} values; the header has {header.Length} columns.");
            var row = new double[cells.Count];
            for (int c = 0; c < cells.Count; c++) row[c] = Parse(cells[c], source, lineNumber, c, header[c]);
            rows.Add(row);
        }
        if (rows.Count == 0) throw new InvalidDataException($"'{source}' has a header but no data rows; expected at least one row of numbers.");
        return new CsvTable(header, rows);
    }

    private static double Parse(string cell, string source, int line, int column, string name)
    {
        var text = cell.Trim();
        string Where() => $"'{source}' line {line}, column {column + 1} ('{name}')";
        if (text.TrimStart('+', '-').ToLowerInvariant() is "inf" or "infinity" or "nan" or "∞")
            throw new InvalidDataException($"{Where()}: '{Excerpt(text)}' is not finite; every value must be a finite number.");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            var hint = text.Contains(',') ? " (use '.' as the decimal separator)" : text.Length == 0 ? " (an empty cell)" : "";
            throw new InvalidDataException($"{Where()}: '{Excerpt(text)}' is not a number{hint}.");
        }
        if (!double.IsFinite(value))
            throw new InvalidDataException($"{Where()}: '{Excerpt(text)}' is not finite; every value must be a finite number.");
        if (Math.Abs(value) > float.MaxValue)
            throw new InvalidDataException($"{Where()}: {Excerpt(text)} is outside the float32 range (±3.4e38) that SbiSharp computes in.");
        return value;
    }

    /// <summary>Splits one line at commas, honouring RFC 4180 quotes.</summary>
    private static List<string> Split(string line, string source, int lineNumber)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"' && cell.ToString().Trim().Length == 0) { cell.Clear(); quoted = true; }
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        if (quoted) throw new InvalidDataException($"'{source}' line {lineNumber}, column {cells.Count + 1}: a quoted cell is not closed (quoted cells cannot span lines).");
        cells.Add(cell.ToString());
        return cells;
    }

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..37] + "...";

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

    /// <summary>Writes the table (values as G9, float32 round-trip precision) atomically: a failure never leaves a half file or destroys the previous one.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(string.Join(",", Header.Select(Quote)));
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
        });
    }

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;
}
