using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SbiSharp.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Estimators;

/// <summary>The single-file format of models and checkpoints: magic, format version, kind, a JSON header, named float32 tensor sets, an end marker and (from version 3) a SHA-256 of everything before it.</summary>
/// <remarks>
/// Files are written atomically (<see cref="AtomicFile"/>). Reading a version-3 file checks the checksum before parsing
/// anything, so a flipped byte or a cut-short file is refused; versions 1 and 2 (no checksum) still load, with every length
/// bounded by the bytes left and every weight checked to be finite.
/// </remarks>
internal static class ModelFile
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SBISHARP");
    private static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("END.");
    private const int HashBytes = 32;
    public const int FormatVersion = 3;

    /// <summary>Named tensor sets of one file: set name → tensor name → (shape, values).</summary>
    public sealed class Contents : Dictionary<string, Dictionary<string, (long[] Shape, float[] Data)>>
    {
    }

    /// <summary>The parameters of a module as a named tensor set.</summary>
    public static IReadOnlyList<(string Name, Tensor Value)> Parameters(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToArray();

    /// <summary>Tensors without names of their own (optimizer moments, weight snapshots) as a set named "0", "1", ….</summary>
    public static IReadOnlyList<(string Name, Tensor Value)> Numbered(IEnumerable<Tensor> tensors) =>
        tensors.Select((t, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToArray();

    public static void Write(string path, string kind, string headerJson, IReadOnlyList<(string Name, nn.Module Module)> modules) =>
        Write(path, kind, headerJson, modules.Select(m => (m.Name, Parameters(m.Module))).ToArray());

    public static void Write(string path, string kind, string headerJson, IReadOnlyList<(string Name, IReadOnlyList<(string Name, Tensor Value)> Tensors)> sets)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(kind);
            w.Write(headerJson);
            w.Write(sets.Count);
            foreach (var (name, tensors) in sets)
            {
                w.Write(name);
                w.Write(tensors.Count);
                foreach (var (tname, t) in tensors)
                {
                    w.Write(tname);
                    w.Write((int)t.dim());
                    foreach (var s in t.shape) w.Write(s);
                    using var cpu = t.detach().cpu().to(ScalarType.Float32).contiguous();
                    var data = cpu.data<float>().ToArray();
                    w.Write(data.Length);
                    w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                }
            }
            w.Write(EndMarker);
        }
        var hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(payload.GetBuffer(), 0, (int)payload.Length);
            stream.Write(hash);
        });
    }

    public static (string Kind, string Header, Contents Weights) Read(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"'{path}' is a folder, not a model file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file not found: '{path}'.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + sizeof(int) || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not an SbiSharp model file (wrong magic bytes).");
        var version = BitConverter.ToInt32(bytes, Magic.Length);
        if (version is < 1 or > FormatVersion)
            throw new InvalidDataException($"'{path}' has model format version {version}; this SbiSharp reads versions 1 to {FormatVersion}.");
        int end = bytes.Length;
        if (version >= 3)
        {
            if (bytes.Length < Magic.Length + sizeof(int) + EndMarker.Length + HashBytes)
                throw Corrupt(path, "it is cut short");
            end = bytes.Length - HashBytes;
            var expected = bytes.AsSpan(end, HashBytes);
            if (!SHA256.HashData(bytes.AsSpan(0, end)).AsSpan().SequenceEqual(expected))
                throw Corrupt(path, "checksum mismatch: it was changed after it was written, or is truncated");
        }
        try
        {
            using var stream = new MemoryStream(bytes, 0, end, writable: false);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            r.ReadBytes(Magic.Length + sizeof(int));
            var kind = r.ReadString();
            var header = r.ReadString();
            if (version == 1) header = UpgradeVersion1(header);
            var sets = new Contents();
            int setCount = Count(r, path, "tensor sets");
            for (int m = 0; m < setCount; m++)
            {
                var name = r.ReadString();
                var entries = new Dictionary<string, (long[], float[])>();
                int count = Count(r, path, $"tensors in '{name}'");
                for (int i = 0; i < count; i++)
                {
                    var tname = r.ReadString();
                    int rank = r.ReadInt32();
                    if (rank is < 0 or > 8) throw Corrupt(path, $"tensor {name}.{tname} claims rank {rank}");
                    var shape = new long[rank];
                    for (int k = 0; k < rank; k++) shape[k] = r.ReadInt64();
                    int length = r.ReadInt32();
                    long remaining = stream.Length - stream.Position;
                    if (length < 0 || (long)length * sizeof(float) > remaining)
                        throw Corrupt(path, $"tensor {name}.{tname} claims {length} values but only {remaining} bytes are left");
                    if (shape.Any(s => s < 0) || shape.Aggregate(1L, (a, s) => a * s) != length)
                        throw Corrupt(path, $"tensor {name}.{tname} has shape ({string.Join(", ", shape)}) but {length} values");
                    var data = new float[length];
                    r.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
                    entries[tname] = (shape, data);
                }
                sets[name] = entries;
            }
            if (!r.ReadBytes(EndMarker.Length).SequenceEqual(EndMarker)) throw new EndOfStreamException();
            return (kind, header, sets);
        }
        catch (EndOfStreamException)
        {
            throw Corrupt(path, "it ended before the model was complete");
        }
        catch (FormatException e)
        {
            throw Corrupt(path, e.Message);
        }
    }

    private static int Count(BinaryReader r, string path, string what)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > 1_000_000) throw Corrupt(path, $"it claims {count} {what}");
        return count;
    }

    public static InvalidDataException Corrupt(string path, string why) =>
        new($"The model file '{path}' is corrupted ({why}); it was not loaded. Write it again (train or save).");

    /// <summary>Copies stored weights into <paramref name="module"/>, requiring the same names and shapes and finite values.</summary>
    public static void Load(nn.Module module, string moduleName, Dictionary<string, (long[] Shape, float[] Data)> weights, string path) =>
        Load(Parameters(module), moduleName, weights, path);

    /// <summary>Copies a stored tensor set into <paramref name="targets"/>, requiring the same names and shapes and finite values.</summary>
    public static void Load(IReadOnlyList<(string Name, Tensor Value)> targets, string setName, Dictionary<string, (long[] Shape, float[] Data)> weights, string path)
    {
        var expected = targets.Select(p => p.Name).ToHashSet();
        var missing = expected.Except(weights.Keys).ToArray();
        var extra = weights.Keys.Except(expected).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new InvalidDataException(
                $"'{path}' was written by a different architecture: {setName} lacks [{string.Join(", ", missing.Take(5))}] and has unexpected [{string.Join(", ", extra.Take(5))}].");
        using var noGrad = no_grad();
        foreach (var (name, p) in targets)
        {
            var (shape, data) = weights[name];
            if (!shape.SequenceEqual(p.shape))
                throw new InvalidDataException(
                    $"'{path}' was written by a different architecture: {setName}.{name} has shape ({string.Join(", ", shape)}) in the file but ({string.Join(", ", p.shape)}) in the model.");
            for (int i = 0; i < data.Length; i++)
                if (!float.IsFinite(data[i]))
                    throw Corrupt(path, $"{setName}.{name}[{i}] is {data[i]}, not a finite weight");
            using var source = tensor(data, shape, dtype: ScalarType.Float32);
            p.copy_(source);
        }
    }

    /// <summary>Version 1 stored only EDM schedule options under Options.Schedule (F-prediction, EDM-weighted noise loss, no input scaling, which is the identity for the variance-preserving form); wraps them as a typed EDM schedule.</summary>
    private static string UpgradeVersion1(string header)
    {
        var root = JsonNode.Parse(header)!.AsObject();
        if (root["Options"] is JsonObject options && options["Schedule"] is JsonObject schedule)
        {
            if (schedule["Form"]?.GetValue<int>() is { } form && form != (int)Noise.VarianceForm.Preserving)
                throw new InvalidDataException("This version-1 model uses a variance-exploding EDM schedule without input scaling, which this SbiSharp cannot reproduce; retrain it.");
            options["Schedule"] = new JsonObject { ["schedule"] = "edm", ["Options"] = schedule.DeepClone() };
        }
        return root.ToJsonString();
    }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
