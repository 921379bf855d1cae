using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Flags one entry of the ELF version-needs table (.gnu.version_r) of every libLibTorchSharp.so under
/// <see cref="Directory"/> as weak (VER_FLG_WEAK), but only when the system libstdc++ lacks that version.
/// Idempotent: an entry already weak is left alone. Only ELF64 little-endian files are touched.
/// </summary>
public class SbiSharpPatchGlibcxxWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public string Directory { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no patch needed.");
            return true;
        }
        foreach (var path in libraries)
        {
            try
            {
                var result = Patch(path);
                Log.LogMessage(MessageImportance.Normal, "SbiSharp: " + result + ": " + path);
            }
            catch (Exception e)
            {
                Log.LogWarning("SbiSharp: could not flag " + VersionName + " weak in " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var found = candidates.Where(File.Exists).ToArray();
        if (found.Length == 0) return false;
        var needle = Encoding.ASCII.GetBytes(VersionName + "\0");
        foreach (var candidate in found)
        {
            var bytes = File.ReadAllBytes(candidate);
            if (IndexOf(bytes, needle) >= 0) return true;
        }
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    private string Patch(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            return "not an ELF file, skipped";
        if (bytes[4] != 2 || bytes[5] != 1) return "not ELF64 little-endian, skipped";
        long shoff = (long)BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(bytes, (int)sh + 4) != ShtGnuVerneed) continue;
            long verneedOffset = (long)BitConverter.ToUInt64(bytes, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(bytes, (int)sh + 0x28);
            long strtab = (long)BitConverter.ToUInt64(bytes, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = verneedOffset;
            while (true)
            {
                int count = BitConverter.ToUInt16(bytes, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(bytes, (int)vn + 8);
                for (int a = 0; a < count; a++)
                {
                    long nameOffset = strtab + BitConverter.ToUInt32(bytes, (int)aux + 8);
                    if (ReadString(bytes, nameOffset) == VersionName)
                    {
                        ushort flags = BitConverter.ToUInt16(bytes, (int)aux + 4);
                        if ((flags & VerFlagWeak) != 0) return VersionName + " already weak";
                        var written = File.GetLastWriteTimeUtc(path);
                        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
                        {
                            stream.Position = aux + 4;
                            var value = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
                            stream.Write(value, 0, 2);
                        }
                        // Keep the timestamp so incremental copies do not see a changed file.
                        File.SetLastWriteTimeUtc(path, written);
                        return "flagged " + VersionName + " weak";
                    }
                    uint nextAux = BitConverter.ToUInt32(bytes, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(bytes, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return VersionName + " not required, nothing to do";
    }

    private static string ReadString(byte[] bytes, long offset)
    {
        int end = (int)offset;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }
}
