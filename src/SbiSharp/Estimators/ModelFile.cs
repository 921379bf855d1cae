using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Estimators;

/// <summary>The single-file model format: magic, format version, a JSON header, named float32 weight sets, an end marker.</summary>
internal static class ModelFile
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SBISHARP");
    private static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("END.");
    public const int FormatVersion = 2;

    public static void Write(string path, string kind, string headerJson, IReadOnlyList<(string Name, nn.Module Module)> modules)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(kind);
            w.Write(headerJson);
            w.Write(modules.Count);
            foreach (var (name, module) in modules)
            {
                w.Write(name);
                var parameters = module.named_parameters().ToArray();
                w.Write(parameters.Length);
                foreach (var (pname, p) in parameters)
                {
                    w.Write(pname);
                    w.Write((int)p.dim());
                    foreach (var s in p.shape) w.Write(s);
                    var data = p.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
                    w.Write(data.Length);
                    foreach (var v in data) w.Write(v);
                }
            }
            w.Write(EndMarker);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static (string Kind, string Header, Dictionary<string, Dictionary<string, (long[] Shape, float[] Data)>> Weights) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file not found: '{path}'.", path);
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            var magic = r.ReadBytes(Magic.Length);
            if (!magic.SequenceEqual(Magic)) throw new InvalidDataException($"'{path}' is not an SbiSharp model file (wrong magic bytes).");
            var version = r.ReadInt32();
            if (version is not (FormatVersion or 1))
                throw new InvalidDataException($"'{path}' has model format version {version}; this SbiSharp reads versions 1 to {FormatVersion}.");
            var kind = r.ReadString();
            var header = r.ReadString();
            if (version == 1) header = UpgradeVersion1(header);
            var modules = new Dictionary<string, Dictionary<string, (long[], float[])>>();
            int moduleCount = r.ReadInt32();
            for (int m = 0; m < moduleCount; m++)
            {
                var name = r.ReadString();
                var entries = new Dictionary<string, (long[], float[])>();
                int count = r.ReadInt32();
                for (int i = 0; i < count; i++)
                {
                    var pname = r.ReadString();
                    var shape = new long[r.ReadInt32()];
                    for (int k = 0; k < shape.Length; k++) shape[k] = r.ReadInt64();
                    var data = new float[r.ReadInt32()];
                    var bytes = r.ReadBytes(data.Length * sizeof(float));
                    if (bytes.Length != data.Length * sizeof(float)) throw new EndOfStreamException();
                    Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
                    entries[pname] = (shape, data);
                }
                modules[name] = entries;
            }
            if (!r.ReadBytes(EndMarker.Length).SequenceEqual(EndMarker)) throw new EndOfStreamException();
            return (kind, header, modules);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' is truncated or corrupt: it ended before the model was complete. Save it again.");
        }
    }

    /// <summary>Copies stored weights into <paramref name="module"/>, requiring the same names and shapes.</summary>
    public static void Load(nn.Module module, string moduleName, Dictionary<string, (long[] Shape, float[] Data)> weights, string path)
    {
        var parameters = module.named_parameters().ToArray();
        var expected = parameters.Select(p => p.name).ToHashSet();
        var missing = expected.Except(weights.Keys).ToArray();
        var extra = weights.Keys.Except(expected).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new InvalidDataException(
                $"'{path}' was written by a different architecture: {moduleName} lacks [{string.Join(", ", missing.Take(5))}] and has unexpected [{string.Join(", ", extra.Take(5))}].");
        using var noGrad = no_grad();
        foreach (var (name, p) in parameters)
        {
            var (shape, data) = weights[name];
            if (!shape.SequenceEqual(p.shape))
                throw new InvalidDataException(
                    $"'{path}' was written by a different architecture: {moduleName}.{name} has shape ({string.Join(", ", shape)}) in the file but ({string.Join(", ", p.shape)}) in the model.");
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
