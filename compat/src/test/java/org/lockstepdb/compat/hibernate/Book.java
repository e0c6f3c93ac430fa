package org.lockstepdb.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** SEQUENCE id (Hibernate draws {@code next value for hb_book_seq}: a query that writes). */
@Entity
@Table(name = "hb_book")
public class Book {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hb_book_seq")
    @SequenceGenerator(name = "hb_book_seq", sequenceName = "hb_book_seq", allocationSize = 5)
    public Long id;
    public String title;
    @ManyToOne(optional = false)
    public Author author;

    protected Book() {
    }

    Book(String title, Author author) {
        this.title = title;
        this.author = author;
    }
}
