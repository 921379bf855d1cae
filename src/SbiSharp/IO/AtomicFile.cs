namespace SbiSharp.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a half-written one.</summary>
/// <remarks>
/// The content goes to a temporary file in the same folder (same file system, so the rename is atomic), is flushed to disk,
/// and is then renamed over the target. If writing fails or the process dies, the target is untouched and the temporary
/// file (named <c>.NAME.RANDOM.tmp</c>) is deleted when possible.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Checks, before any work is done, that <paramref name="path"/> can be written: not a folder, its folder exists or can be made.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="parameter">The option or parameter that named it, for the message.</param>
    /// <exception cref="ArgumentException">The path is empty, is a folder, or its folder cannot be created or written.</exception>
    public static string CheckWritable(string path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{parameter} must name a file; got an empty path.", parameter);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"{parameter} must name a file; '{path}' is a folder.", parameter);
        var directory = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{parameter}: cannot write to the folder '{directory}' ({e.GetType().Name}: {e.Message}).", parameter, e);
        }
        return full;
    }

    /// <summary>Checks, before any work is done, that <paramref name="folder"/> is (or can be made) a writable folder; creates it.</summary>
    /// <exception cref="ArgumentException">The path is empty, is a file, or cannot be created or written.</exception>
    public static string CheckWritableFolder(string folder, string parameter)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException($"{parameter} must name a folder; got an empty path.", parameter);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new ArgumentException($"{parameter} must name a folder; '{folder}' is a file.", parameter);
        CheckWritable(Path.Combine(full, ".write-check"), parameter);
        return full;
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The target file; its folder is created if missing.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{path}': it is a folder.");
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });
    }

    /// <summary>Writes through a file-path API (such as a plotting library's Save) to a temporary file with the same extension, then renames it into place.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="save">Saves the whole content to the path it is given.</param>
    public static void Save(string path, Action<string> save)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(save);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            save(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
