package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.CommandValidationException;
import dev.eventsource.testing.AggregateFixture;
import dev.eventsource.testing.ProjectionFixture;
import dev.eventsource.tests.cluster.NodeProcess;
import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The fixtures depend on no test framework: {@link Main} runs them in a JVM whose class path has
 * neither JUnit nor AssertJ (nor opentest4j), and their failures are plain {@link AssertionError}s,
 * so JUnit 5, TestNG and Spock tests all use them.
 */
class FixturesWithoutJUnitTest {

    private static final Pattern TEST_LIBRARIES = Pattern.compile("junit|assertj|opentest4j|apiguardian");

    @Test
    void the_fixtures_run_and_fail_with_assertion_errors_without_junit_or_assertj() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !TEST_LIBRARIES.matcher(entry).find())
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("junit-jupiter-api").doesNotContain("assertj-core");
        NodeProcess main = NodeProcess.start("no-junit", classPath, Main.class);
        main.awaitExit(Duration.ofSeconds(60));
        assertThat(main.process().exitValue()).as(main.tail()).isZero();
        assertThat(main.tail()).contains("passed").contains("failed with java.lang.AssertionError: the command of"
                + " BankAccount a1").contains("junit absent").contains("assertj absent");
    }

    /** Uses the fixtures with nothing but the library on the class path. */
    public static final class Main {
        public static void main(String[] args) {
            System.out.println("junit " + present("org.junit.jupiter.api.Test"));
            System.out.println("assertj " + present("org.assertj.core.api.Assertions"));
            AggregateFixture<BankAccount> account = AggregateFixture.of(BankAccount.class).withId("a1")
                    .given(new AccountOpened("a1", "ann"), new Deposited("a1", 100));
            account.when(new BankCommands.Withdraw("a1", 30)).expectEvents(new Withdrawn("a1", 30, "atm"));
            account.when(new BankCommands.Withdraw("a1", 500))
                    .expectRejected(CommandValidationException.class, "insufficient funds");
            ProjectionFixture.of(new Balances()).given(new AccountOpened("a1", "ann"), new Deposited("a1", 100))
                    .expectState(b -> {
                        if (!b.balances.equals(Map.of("a1", 100L))) {
                            throw new AssertionError(b.balances);
                        }
                    });
            System.out.println("passed");
            try {
                account.when(new BankCommands.Withdraw("a1", 30)).expectNoEvents();
                System.out.println("no failure");
                System.exit(1);
            } catch (AssertionError expected) {
                System.out.println("failed with " + expected.getClass().getName() + ": " + expected.getMessage());
            }
        }

        private static String present(String className) {
            try {
                Class.forName(className);
                return "present";
            } catch (ClassNotFoundException e) {
                return "absent";
            }
        }
    }
}
