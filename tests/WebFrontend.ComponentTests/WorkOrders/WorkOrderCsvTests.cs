using System.Text;
using MesOrleans.Plant;
using MesOrleans.WebFrontend.WorkOrders;
using MesOrleans.WorkOrders;

namespace MesOrleans.WebFrontend.ComponentTests.WorkOrders;

/// <summary>The ERP exchange file as spreadsheets and ERP systems write it: encodings, quotes, delimiters and bad rows.</summary>
public sealed class WorkOrderCsvTests
{
    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, new PlantModel(
        [
            new SiteModel("plant1", "Plant 1", "Europe/Berlin", [], [new LineModel("assembly", "Assembly", [new MachineModel("press-1", "Press 1", 30)])]),
        ],
        [],
        []), []));

    private const string Header = "order,part,quantity,due,line\r\n";

    [Fact]
    public void Rows_keep_their_line_in_the_file_and_a_due_date_is_due_by_the_end_of_that_day_where_the_line_is()
    {
        var (rows, errors) = Read(Header + "WO-1,BRK-1,100,2026-12-01,plant1/assembly\r\n\r\nWO-2,BRK-2,5,2026-12-01T14:00:00+01:00,plant1/assembly\r\nWO-3,BRK-3,7,,plant1/assembly");

        Assert.Empty(errors);
        Assert.Equal([2, 4, 5], rows.Select(r => r.Line));
        // Midnight after 1 December in Berlin is 23:00 UTC.
        Assert.Equal(new WorkOrderPlan("WO-1", "BRK-1", 100, "plant1/assembly", new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero)), rows[0].Plan);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.Zero), rows[1].Plan.Due);
        Assert.Null(rows[2].Plan.Due);
    }

    [Fact]
    public void Quoted_fields_hold_commas_quotes_and_line_breaks_and_columns_may_come_in_any_order_with_a_lot()
    {
        var (rows, errors) = Read("line,\"order\",part,quantity,due,lot\n\"plant1/assembly\",\"WO-9\",\"BRK-1\",\"12\",2026-12-01,\"L \"\"7\"\",\nsecond line\"\nplant1/assembly,WO-10,BRK-1,3,,\n");

        Assert.Empty(errors);
        Assert.Equal(("WO-9", 2, "L \"7\",\nsecond line"), (rows[0].Plan.OrderNumber, rows[0].Line, rows[0].Plan.Lot));
        // The quoted line break moved the next record to line 4.
        Assert.Equal(("WO-10", 4, (string?)null), (rows[1].Plan.OrderNumber, rows[1].Line, rows[1].Plan.Lot));
    }

    [Fact]
    public void A_byte_order_mark_utf16_and_a_declared_charset_are_read_and_bytes_that_are_not_utf8_name_their_line()
    {
        var text = Header + "WO-Ä1,Größe-1,1,,plant1/assembly\r\n";
        foreach (var (bytes, charset) in new (byte[], string?)[]
        {
            ([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)], null),
            ([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)], null),
            ([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)], null),
            (Encoding.UTF8.GetBytes(text), null),
            (Latin1(text), "windows-1252"),
        })
        {
            var (rows, errors) = WorkOrderCsv.Read(bytes, charset, Plant);
            Assert.Empty(errors);
            Assert.Equal(("WO-Ä1", "Größe-1"), (rows[0].Plan.OrderNumber, rows[0].Plan.PartNumber));
        }

        var (_, notUtf8) = WorkOrderCsv.Read(Latin1(text), null, Plant);
        Assert.Equal(2, Assert.Single(notUtf8).Line);
    }

    [Fact]
    public void Semicolons_are_the_delimiter_when_the_header_has_them_and_no_comma()
    {
        var (rows, errors) = Read("order;part;quantity;due;line\r\nWO-1;BRK-1;4;2026-12-01;plant1/assembly\r\n");

        Assert.Empty(errors);
        Assert.Equal(4, Assert.Single(rows).Plan.Quantity);
    }

    [Fact]
    public void Every_bad_row_is_named_with_its_line_and_column()
    {
        var (rows, errors) = Read(Header
            + "WO-1,BRK-1,ten,2026-12-01,plant1/assembly\r\n"
            + "WO-2,BRK-1,5,tomorrow,plant1/assembly\r\n"
            + "WO-3,BRK-1,5,2026-12-01T10:00:00,plant1/nowhere\r\n"
            + "WO-4,BRK-1,5\r\n"
            + "WO-5,BRK-1,5,,plant1/assembly\r\n");

        Assert.Equal(
            [(2, "quantity"), (3, "due"), (4, "line"), (4, "due"), (5, "due")],
            errors.Select(e => (e.Line, e.Column)));
        Assert.Equal("WO-5", Assert.Single(rows).Plan.OrderNumber);
    }

    [Fact]
    public void A_header_without_a_column_with_an_unknown_or_repeated_one_and_an_unclosed_quote_are_refused()
    {
        Assert.Equal([(1, "due"), (1, "colour")], Read("order,part,quantity,line,colour\r\n").Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal([(1, "part")], Read("order,part,part,quantity,due,line\r\n").Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal([(1, "")], Read("").Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal([3], Read(Header + "WO-1,BRK-1,1,,plant1/assembly\r\n\"WO-2,BRK-1,1,,plant1/assembly\r\n").Errors.Select(e => e.Line));
    }

    [Fact]
    public void The_export_quotes_what_needs_it_and_puts_scrap_by_reason_in_columns()
    {
        var order = new WorkOrderEntry(new WorkOrderPlan("WO-1", "BRK,1", 100, "plant1/assembly"), WorkOrderStatus.Completed, 1, DateTimeOffset.UnixEpoch)
        {
            StartedAt = new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero),
            CompletedAt = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero),
        };
        var progress = WorkOrderProgress.None with { Good = 97, Scrap = 5, ScrapByReason = new Dictionary<string, long> { ["S01"] = 3, [""] = 2 } };

        var csv = WorkOrderCsv.Write([(order, progress)]);

        Assert.Equal(
            "order,part,quantity,good,scrap,line,started,completed,scrap:unassigned,scrap:S01\r\n"
            + "WO-1,\"BRK,1\",100,97,5,plant1/assembly,2026-11-25T06:00:00Z,2026-11-25T09:30:00Z,2,3\r\n",
            csv);
    }

    private static (List<WorkOrderImportRow> Rows, List<WorkOrderRowError> Errors) Read(string text) => WorkOrderCsv.Read(Encoding.UTF8.GetBytes(text), null, Plant);

    private static byte[] Latin1(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("windows-1252").GetBytes(text);
    }
}
