using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace SbiSharp.IO;

/// <summary>Reads and writes NumPy's <c>.npy</c> arrays (format versions 1–3), the format fields travel in: little-endian float32, float64, int32, int64, uint8 and bool,
/// C or Fortran order.</summary>
/// <remarks>Written by hand: the format is a 10-line header and raw bytes (numpy.org/doc/stable/reference/generated/numpy.lib.format.html), and the one
/// NuGet package that reads it (NumSharp) brings a whole second array library. Arrays are written atomically (no half-written file).</remarks>
public static partial class NpyFile
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private static readonly (string Descr, ScalarType Type, int Size)[] Types =
    {
        ("<f4", ScalarType.Float32, 4), ("<f8", ScalarType.Float64, 8), ("<i4", ScalarType.Int32, 4), ("<i8", ScalarType.Int64, 8),
        ("|u1", ScalarType.Byte, 1), ("|b1", ScalarType.Bool, 1),
    };

    /// <summary>Reads an array into a tensor of its own type and shape (on the CPU).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an .npy file, an unsupported type (the message names it), or fewer bytes than the header promises.</exception>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No .npy file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"'{source}' is not an .npy file (no \\x93NUMPY magic).");
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var b = new byte[2];
            ReadExactly(stream, b, source);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(b);
        }
        else if (major is 2 or 3)
        {
            var b = new byte[4];
            ReadExactly(stream, b, source);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(b));
        }
        else throw new InvalidDataException($"'{source}' is .npy format version {major}.{prefix[7]}; versions 1, 2 and 3 are read.");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, source);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var descr = Field(DescrPattern(), header, "descr", source);
        var fortran = Field(OrderPattern(), header, "fortran_order", source) == "True";
        var shapeText = Field(ShapePattern(), header, "shape", source);
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new InvalidDataException($"'{source}' has an unreadable shape ({shapeText}).")).ToArray();
        var type = Types.FirstOrDefault(t => t.Descr == descr || (t.Size == 1 && t.Descr[1..] == descr[1..] && descr[0] is '<' or '=' or '|'));
        if (type.Descr is null)
            throw new InvalidDataException($"'{source}' holds dtype '{descr}'; supported: {string.Join(", ", Types.Select(t => t.Descr))} (little-endian). Convert it in NumPy with a.astype('<f4').");
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        long bytes = checked(count * type.Size);
        if (bytes > int.MaxValue) throw new InvalidDataException($"'{source}' holds {bytes:N0} bytes; at most {int.MaxValue:N0} are read into one tensor.");
        var data = new byte[bytes];
        ReadExactly(stream, data, source);
        var read = fortran ? shape.Reverse().ToArray() : shape;
        var flat = type.Type switch
        {
            ScalarType.Float32 => tensor(Cast<float>(data), read),
            ScalarType.Float64 => tensor(Cast<double>(data), read),
            ScalarType.Int32 => tensor(Cast<int>(data), read),
            ScalarType.Int64 => tensor(Cast<long>(data), read),
            ScalarType.Byte => tensor(data, read),
            _ => tensor(data.Select(b => b != 0).ToArray(), read),
        };
        if (!fortran) return flat;
        using (flat)
            return flat.permute(Enumerable.Range(0, read.Length).Reverse().Select(i => (long)i).ToArray()).contiguous();
    }

    /// <summary>Writes <paramref name="array"/> (float32, float64, int32, int64, uint8 or bool; any shape) as an .npy file, C order, atomically.</summary>
    /// <exception cref="ArgumentException">Another element type.</exception>
    public static void Write(string path, Tensor array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var type = Types.FirstOrDefault(t => t.Type == array.dtype);
        if (type.Descr is null)
            throw new ArgumentException($"`array` has element type {array.dtype}; .npy files are written from {string.Join(", ", Types.Select(t => t.Type))}.", nameof(array));
        AtomicFile.CheckWritable(path, nameof(path));
        using var contiguous = array.cpu().contiguous();
        byte[] data = array.dtype switch
        {
            ScalarType.Float32 => Bytes(contiguous.data<float>().ToArray()),
            ScalarType.Float64 => Bytes(contiguous.data<double>().ToArray()),
            ScalarType.Int32 => Bytes(contiguous.data<int>().ToArray()),
            ScalarType.Int64 => Bytes(contiguous.data<long>().ToArray()),
            ScalarType.Byte => contiguous.data<byte>().ToArray(),
            _ => contiguous.data<bool>().ToArray().Select(b => b ? (byte)1 : (byte)0).ToArray(),
        };
        var shape = array.shape.Length == 1 ? $"({array.shape[0]},)" : "(" + string.Join(", ", array.shape) + ")";
        var dictionary = $"{{'descr': '{type.Descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so that magic + version + length + header + '\n' is a multiple of 64 bytes (the format's alignment).
        var total = 10 + dictionary.Length + 1;
        var padded = dictionary + new string(' ', (64 - total % 64) % 64) + "\n";
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.WriteByte(1);
            stream.WriteByte(0);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)padded.Length));
            stream.Write(length);
            stream.Write(Encoding.Latin1.GetBytes(padded));
            stream.Write(data);
        });
    }

    private static T[] Cast<T>(byte[] data) where T : struct
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy arrays are read on little-endian machines only.");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(data).ToArray();
    }

    private static byte[] Bytes<T>(T[] values) where T : struct =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static void ReadExactly(Stream stream, byte[] buffer, string source)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw new InvalidDataException($"'{source}' ends early: its header promises more bytes than the file holds (truncated?).");
    }

    private static string Field(Regex pattern, string header, string name, string source)
    {
        var m = pattern.Match(header);
        if (!m.Success) throw new InvalidDataException($"'{source}' has no readable '{name}' in its header: {header.Trim()}");
        return m.Groups[1].Value;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex OrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
