using System.Text;
using SbiSharp.IO;

namespace SbiSharp.Tests.Reliability;

/// <summary>Every bad CSV gets an <see cref="InvalidDataException"/> naming file, line and column; the accepted variants parse; writes are atomic.</summary>
public class CsvInputTests
{
    private static CsvTable Parse(string text) => CsvTable.Read(new StringReader(text), "t.csv");

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "is empty")]
    [InlineData("a,b\n", "header but no data rows")]
    [InlineData("1,2\n3,4\n", "holds numbers (1,2), not column names")]
    [InlineData("a,b\n1,2,3\n", "line 2 has 3 values; the header has 2 columns")]
    [InlineData("a,b\n1,x\n", "line 2, column 2 ('b'): 'x' is not a number")]
    [InlineData("a,b\n1,\n", "line 2, column 2 ('b'): '' is not a number (an empty cell)")]
    [InlineData("a,b\n1,\"1,5\"\n", "'1,5' is not a number (use '.' as the decimal separator)")]
    [InlineData("a,b\n1,nan\n", "line 2, column 2 ('b'): 'nan' is not finite")]
    [InlineData("a,b\n1,inf\n", "'inf' is not finite")]
    [InlineData("a,b\n1,-Infinity\n", "'-Infinity' is not finite")]
    [InlineData("a,b\n1,1e300\n", "1e300 is outside the float32 range")]
    [InlineData("a,b\n1,\"2\n", "line 2, column 2: a quoted cell is not closed")]
    [InlineData("a,a\n1,2\n", "the column name 'a' appears twice")]
    [InlineData("a,\n1,2\n", "empty column name")]
    public void Read_BadInput_NamesWhereAndWhat(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Contains("'t.csv'", e.Message);
    }

    [Theory]
    [InlineData("a,b\r\n1,2\r\n3,4\r\n")]
    [InlineData("\uFEFFa,b\n1,2\n3,4\n")]
    [InlineData("a , b\n 1 , 2 \n\n3,4")]
    [InlineData("\"a\",\"b\"\n\"1\",2\n3,\"4\"\n")]
    public void Read_AcceptedVariants_Parse(string text)
    {
        var table = Parse(text.Replace("\uFEFF", ""));
        Assert.Equal(new[] { "a", "b" }, table.Header);
        Assert.Equal(new[] { 1.0, 2.0 }, table.Rows[0]);
        Assert.Equal(new[] { 3.0, 4.0 }, table.Rows[1]);
    }

    [Fact]
    public void Read_FileWithByteOrderMark_Parses()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sbisharp-bom-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b\r\n1,2\r\n", new UTF8Encoding(true));
        var table = CsvTable.Read(path);
        Assert.Equal("a", table.Header[0]);
        File.Delete(path);
    }

    [Fact]
    public void Read_Folder_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-csv-").FullName;
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(dir));
        Assert.Contains("is a folder", e.Message);
        Directory.Delete(dir);
    }

    /// <summary>Random garbage either parses into a finite rectangular table or throws our error type; never anything else.</summary>
    [Fact]
    public void Read_RandomGarbage_ParsesOrThrowsInvalidData()
    {
        var random = new Random(1234);
        const string alphabet = "0123456789.,-+eE \"\r\nabx\t;nainf\uFEFF";
        int parsed = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var sb = new StringBuilder();
            int length = random.Next(0, 60);
            for (int i = 0; i < length; i++) sb.Append(random.Next(10) == 0 ? (char)random.Next(0, 0xD7FF) : alphabet[random.Next(alphabet.Length)]);
            try
            {
                var table = Parse(sb.ToString());
                Assert.NotEmpty(table.Rows);
                Assert.All(table.Rows, row => Assert.Equal(table.Columns, row.Length));
                Assert.All(table.Rows, row => Assert.All(row, v => Assert.True(double.IsFinite(v) && Math.Abs(v) <= float.MaxValue)));
                parsed++;
            }
            catch (InvalidDataException)
            {
            }
        }
        Assert.InRange(parsed, 1, 2999);
    }

    [Fact]
    public void Write_FailingHalfway_LeavesThePreviousFileWhole()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-csv-").FullName;
        var path = Path.Combine(dir, "samples.csv");
        new CsvTable(new[] { "a" }, new[] { new[] { 1.0 }, new[] { 2.0 } }).Write(path);
        var before = File.ReadAllText(path);
        var failing = new CsvTable(new[] { "a" }, new ThrowingRows(1000, 600));
        Assert.Throws<IOException>(() => failing.Write(path));
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(new[] { "samples.csv" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CheckWritable_Folder_IsRefusedBeforeAnyWork()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-out-").FullName;
        var e = Assert.Throws<ArgumentException>(() => AtomicFile.CheckWritable(dir, "--out"));
        Assert.Contains("--out must name a file", e.Message);
        Assert.Equal(Path.Combine(dir, "new", "m.sbis"), AtomicFile.CheckWritable(Path.Combine(dir, "new", "m.sbis"), "--out"));
        Directory.Delete(dir, true);
    }

    /// <summary>Rows that fail (like a disk filling up) after <c>failAt</c> of them have been written.</summary>
    private sealed class ThrowingRows(int count, int failAt) : IReadOnlyList<double[]>
    {
        public double[] this[int index] => index < failAt ? new[] { (double)index } : throw new IOException("disk full");
        public int Count => count;
        public IEnumerator<double[]> GetEnumerator() { for (int i = 0; i < count; i++) yield return this[i]; }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
