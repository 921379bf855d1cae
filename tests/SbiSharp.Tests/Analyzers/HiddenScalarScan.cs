using System.Reflection;

namespace SbiSharp.Tests.Analyzers;

/// <summary>Finds the public TorchSharp methods that create a Scalar and never dispose or keep it alive, directly or through a call.</summary>
/// <remarks>Reads each method's IL for calls, so the analyzer's list is checked against the TorchSharp actually referenced.</remarks>
internal static class HiddenScalarScan
{
    private const byte Call = 0x28, CallVirt = 0x6F, NewObj = 0x73;

    public static IEnumerable<string> Scan(Assembly torchSharp)
    {
        Type[] types;
        try { types = torchSharp.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var methods = types.SelectMany(t => t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all))).ToList();
        var callees = new Dictionary<MethodBase, List<MethodBase>>();
        var bad = new HashSet<MethodBase>();
        foreach (var m in methods)
        {
            byte[]? il;
            try { il = m.GetMethodBody()?.GetILAsByteArray(); }
            catch (Exception e) when (e is BadImageFormatException or FileNotFoundException or TypeLoadException) { continue; }
            if (il is null) continue;
            var list = new List<MethodBase>();
            bool makes = false, releases = false;
            for (int i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] is not (Call or CallVirt or NewObj)) continue;
                MethodBase? callee;
                try { callee = m.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1)); }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or FileNotFoundException or TypeLoadException or MissingMethodException) { continue; }
                if (callee?.DeclaringType is null) continue;
                list.Add(callee);
                var name = callee.DeclaringType.Name + "." + callee.Name;
                if (name == "Scalar.op_Implicit" || name.StartsWith("ScalarExtensionMethods.ToScalar", StringComparison.Ordinal)) makes = true;
                if (name is "Scalar.Dispose" or "IDisposable.Dispose" or "GC.KeepAlive") releases = true;
            }
            callees[m] = list;
            if (makes && !releases && m.Name != "op_Implicit" && !m.Name.StartsWith("ToScalar", StringComparison.Ordinal)) bad.Add(m);
        }
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (m, list) in callees)
                if (!bad.Contains(m) && list.Any(bad.Contains)) { bad.Add(m); changed = true; }
        }
        return bad.Where(m => m.IsPublic && m.DeclaringType is { } t && (t.IsPublic || t.IsNestedPublic))
            .Select(m => $"{m.DeclaringType!.FullName}|{m.Name}|{Parameters(m)}").Distinct();
    }

    private static string Parameters(MethodBase m)
    {
        try { return string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)); }
        catch (FileNotFoundException) { return "*"; }
    }
}
