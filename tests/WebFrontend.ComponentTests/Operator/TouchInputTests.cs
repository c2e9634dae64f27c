using MesOrleans.WebFrontend.Components.Operator;

namespace MesOrleans.WebFrontend.ComponentTests.Operator;

public sealed class TouchInputTests : ComponentTest
{
    [Fact]
    public void The_stepper_counts_up_and_down_but_not_below_its_minimum()
    {
        var value = 1;
        var cut = Render<QuantityStepper>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, v => value = v)
            .Add(x => x.BigSteps, [10]));

        Assert.True(cut.Find("button[data-step='-1']").HasAttribute("disabled"));
        cut.Find("button[data-step='10']").Click();
        Assert.Equal(11, value);
        cut.Render(p => p.Add(x => x.Value, value));
        cut.Find("button[data-step='-1']").Click();
        Assert.Equal(10, value);
    }

    [Fact]
    public void The_number_pad_enters_an_operator_number_without_a_keyboard()
    {
        string? entered = null;
        var cut = Render<NumberPad>(p => p.Add(x => x.OnConfirm, n => entered = n));
        Assert.True(cut.Find("button[data-key=ok]").HasAttribute("disabled"));

        foreach (var key in "4712")
        {
            cut.Find($"button[data-key='{key}']").Click();
        }

        cut.Find("button[data-key=back]").Click();
        cut.Find("button[data-key='1']").Click();
        Assert.Equal("4711", cut.Find("output").TextContent);
        cut.Find("button[data-key=ok]").Click();

        Assert.Equal("4711", entered);
        Assert.Equal("Operator 4711", OperatorName.Show(entered));
    }
}
