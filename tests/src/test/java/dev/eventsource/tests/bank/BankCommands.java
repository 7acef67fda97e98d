package dev.eventsource.tests.bank;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/** The bank's commands. */
final class BankCommands {

    private BankCommands() {
    }

    record Open(String accountId, String owner) implements Command<BankAccount> {
        @Override
        public void validate(BankAccount account) {
            if (account.version() > 0) {
                throw new CommandValidationException("account " + accountId + " is open already");
            }
        }

        @Override
        public void perform(BankAccount account) {
            account.record(new AccountOpened(accountId, owner));
        }
    }

    record Deposit(String accountId, long cents) implements Command<BankAccount> {
        @Override
        public void validate(BankAccount account) {
            if (cents <= 0) {
                throw new CommandValidationException("deposit must be positive: " + cents);
            }
        }

        @Override
        public void perform(BankAccount account) {
            if (account.version() == 0) {
                account.record(new AccountOpened(accountId, "anonymous"));
            }
            account.record(new Deposited(accountId, cents));
        }
    }

    record Withdraw(String accountId, long cents) implements Command<BankAccount> {
        @Override
        public void validate(BankAccount account) {
            if (account.balance < cents) {
                throw new CommandValidationException("insufficient funds in " + accountId + ": " + account.balance + " < " + cents);
            }
        }

        @Override
        public void perform(BankAccount account) {
            account.record(new Withdrawn(accountId, cents, "atm"));
        }
    }

    /** Records a withdrawal, then fails: nothing may be appended. */
    record WithdrawThenCrash(String accountId) implements Command<BankAccount> {
        @Override
        public void perform(BankAccount account) {
            account.record(new Withdrawn(accountId, 1, "crash"));
            throw new IllegalStateException("teller crashed");
        }
    }

    /** Checks the balance and records nothing. */
    record CheckBalance(String accountId) implements Command<BankAccount> {
        @Override
        public void perform(BankAccount account) {
        }
    }
}
